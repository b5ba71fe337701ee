import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FoundLockfile } from "./detect-lockfiles.ts";
import { LockfileError } from "./lockfile-error.ts";
import { parseNpmLock } from "./parse-npm-lock.ts";
import type { ParsedLockfile } from "./sbom-model.ts";

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new LockfileError({
      kind: "missing",
      file,
      why: `cannot read the lockfile (${code}); create it with your package manager`,
    });
  }
}

/**
 * Reads and parses one lockfile. Parsers for YAML and TOML formats are loaded only when such a file is
 * found, so an npm-only project never pays for loading `yaml` or `smol-toml`.
 */
export async function readLockfile(found: FoundLockfile): Promise<ParsedLockfile> {
  const text = await readText(found.file);
  switch (found.kind) {
    case "npm":
      return parseNpmLock(text, found.file);
    case "pnpm":
      return (await import("./parse-pnpm-lock.ts")).parsePnpmLock(text, found.file);
    case "yarn":
    case "yarn-classic":
    case "yarn-berry":
      if (/^__metadata:/m.test(text))
        return (await import("./parse-yarn-berry.ts")).parseYarnBerry(text, found.file);
      return (await import("./parse-yarn-classic.ts")).parseYarnClassic(text, found.file);
    case "uv":
      return (await import("./parse-uv-lock.ts")).parseUvLock(text, found.file);
    case "poetry":
      return (await import("./parse-poetry-lock.ts")).parsePoetryLock(text, found.file);
    case "requirements":
      return (await import("./parse-requirements.ts")).parseRequirements(text, found.file);
    case "go": {
      const sumFile = join(dirname(found.file), "go.sum");
      const sum = await readFile(sumFile, "utf8").catch(() => "");
      return (await import("./parse-go-mod.ts")).parseGoMod({ text, file: found.file, sum, sumFile });
    }
  }
}
