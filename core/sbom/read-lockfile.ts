import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { crc32 } from "node:zlib";
import type { FoundLockfile } from "./detect-lockfiles.ts";
import { LockfileError } from "./lockfile-error.ts";
import { parseNpmLock } from "./parse-npm-lock.ts";
import type { ParsedLockfile } from "./sbom-model.ts";

/** A parsed lockfile with the CRC-32 of the bytes it was parsed from (go.mod's and go.sum's together). */
export interface ReadLockfile extends ParsedLockfile {
  /** What the BOM's serial number is derived from: the same bytes give the same serial. */
  crc: number;
}

async function readText(file: string): Promise<{ text: string; crc: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new LockfileError({
      kind: "missing",
      file,
      why: `cannot read the lockfile (${code}); create it with your package manager`,
    });
  }
  return { text: bytes.toString("utf8"), crc: crc32(bytes) };
}

/**
 * Reads and parses one lockfile. Parsers for YAML and TOML formats are loaded only when such a file is
 * found, so an npm-only project never pays for loading `yaml` or `smol-toml`.
 */
export async function readLockfile(found: FoundLockfile): Promise<ReadLockfile> {
  const { text, crc } = await readText(found.file);
  if (found.kind === "go") {
    const sumFile = join(dirname(found.file), "go.sum");
    const sum = await readFile(sumFile).catch(() => Buffer.alloc(0));
    const { parseGoMod } = await import("./parse-go-mod.ts");
    const parsed = parseGoMod({ text, file: found.file, sum: sum.toString("utf8"), sumFile });
    return { ...parsed, crc: crc32(sum, crc) };
  }
  return { ...(await parseText(found.kind, text, found.file)), crc };
}

async function parseText(
  kind: Exclude<FoundLockfile["kind"], "go">,
  text: string,
  file: string,
): Promise<ParsedLockfile> {
  switch (kind) {
    case "npm":
      return parseNpmLock(text, file);
    case "pnpm":
      return (await import("./parse-pnpm-lock.ts")).parsePnpmLock(text, file);
    case "yarn":
    case "yarn-classic":
    case "yarn-berry":
      if (/^__metadata:/m.test(text))
        return (await import("./parse-yarn-berry.ts")).parseYarnBerry(text, file);
      return (await import("./parse-yarn-classic.ts")).parseYarnClassic(text, file);
    case "uv":
      return (await import("./parse-uv-lock.ts")).parseUvLock(text, file);
    case "poetry":
      return (await import("./parse-poetry-lock.ts")).parsePoetryLock(text, file);
    case "requirements":
      return (await import("./parse-requirements.ts")).parseRequirements(text, file);
  }
}
