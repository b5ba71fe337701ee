import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { canonicalJson } from "../artifact/canonical-json.ts";

/** Bumped when the layout of deps layers changes, so layers built the old way are not reused. */
const KEY_SCHEMA = 1;

/**
 * The cache key of a deps layer: sha256 hex over the bytes of its input files (the lockfile above all),
 * the runtime and its version, the tool, the exact commands and the platform. Same inputs give the same
 * key on any machine; app code is not an input, so editing it keeps the key.
 */
export async function depsKey(request: {
  dir: string;
  inputs: readonly string[];
  runtime: string;
  version: string | undefined;
  tool: string;
  command: readonly (readonly string[])[];
  platform: string;
}): Promise<string> {
  const files = [];
  for (const input of [...request.inputs].sort()) {
    const bytes = await readFile(join(request.dir, input));
    files.push([input, createHash("sha256").update(bytes).digest("hex")]);
  }
  const record = {
    schema: KEY_SCHEMA,
    runtime: request.runtime,
    version: request.version ?? null,
    tool: request.tool,
    command: request.command,
    platform: request.platform,
    files,
  };
  return createHash("sha256").update(canonicalJson(record)).digest("hex");
}
