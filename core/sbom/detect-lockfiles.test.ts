import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { detectLockfiles } from "./detect-lockfiles.ts";
import { readLockfile } from "./read-lockfile.ts";
import { catchLockfileError } from "./sbom-test-kit.ts";

const tempDir = useTempDirs("aether-detect-lockfiles-");

async function touch(path: string, text = ""): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, text);
}

describe("detectLockfiles", () => {
  it("finds every lockfile in the tree, sorted, outside node_modules, .git and virtualenvs", async () => {
    const dir = await tempDir();
    for (const rel of [
      "package-lock.json",
      "apps/web/pnpm-lock.yaml",
      "apps/api/go.mod",
      "apps/api/go.sum",
      "py/uv.lock",
      "py/legacy/poetry.lock",
      "py/requirements.txt",
      "tools/yarn.lock",
      "node_modules/dep/package-lock.json",
      ".git/x/package-lock.json",
      ".venv/lib/requirements.txt",
    ]) {
      await touch(join(dir, rel));
    }
    const found = await detectLockfiles(dir);
    expect(found.map((f) => [f.kind, f.file.slice(dir.length + 1)])).toEqual([
      ["go", "apps/api/go.mod"],
      ["pnpm", "apps/web/pnpm-lock.yaml"],
      ["npm", "package-lock.json"],
      ["poetry", "py/legacy/poetry.lock"],
      ["requirements", "py/requirements.txt"],
      ["uv", "py/uv.lock"],
      ["yarn", "tools/yarn.lock"],
    ]);
  });

  it("prefers npm-shrinkwrap.json over package-lock.json in the same folder, as npm does", async () => {
    const dir = await tempDir();
    await touch(join(dir, "package-lock.json"));
    await touch(join(dir, "npm-shrinkwrap.json"));
    expect((await detectLockfiles(dir)).map((f) => f.file)).toEqual([join(dir, "npm-shrinkwrap.json")]);
  });
});

describe("readLockfile", () => {
  it("reports a lockfile that cannot be read as missing, naming it", async () => {
    const file = join(await tempDir(), "package-lock.json");
    const error = await catchLockfileError(() => readLockfile({ kind: "npm", file }));
    expect([error.kind, error.file]).toEqual(["missing", file]);
    expect(error.message).toContain("ENOENT");
  });

  it("tells yarn classic from berry by content", async () => {
    const dir = await tempDir();
    const file = join(dir, "yarn.lock");
    await writeFile(file, '# yarn lockfile v1\n\n\nms@^2.1.3:\n  version "2.1.3"\n');
    expect((await readLockfile({ kind: "yarn", file })).kind).toBe("yarn-classic");
    await writeFile(
      file,
      '__metadata:\n  version: 8\n\n"ms@npm:^2.1.3":\n  version: 2.1.3\n  resolution: "ms@npm:2.1.3"\n',
    );
    expect((await readLockfile({ kind: "yarn", file })).kind).toBe("yarn-berry");
  });
});
