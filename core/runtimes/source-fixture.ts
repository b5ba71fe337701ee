import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Temp source folders for tests: `make({ "package.json": "{}" })` writes the files (folders created as
 * needed) and returns the folder; `cleanup()` removes every folder made so far.
 */
export function sourceFixture(): {
  make: (files: Record<string, string>) => Promise<string>;
  cleanup: () => Promise<void>;
} {
  const made: string[] = [];
  return {
    async make(files) {
      const dir = await mkdtemp(join(tmpdir(), "aether-runtime-"));
      made.push(dir);
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
