import { LockfileError } from "./lockfile-error.ts";

/**
 * Parses TOML with smol-toml (loaded on first use); a syntax error becomes a LockfileError with the
 * parser's line.
 */
export async function parseTomlLockfile(text: string, file: string): Promise<Record<string, unknown>> {
  const { parse, TomlError } = await import("smol-toml");
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new LockfileError({
      kind: "syntax",
      file,
      line: error.line,
      why: `not valid TOML (${error.message.split("\n")[0]}); the file may be truncated or hand-edited: regenerate it`,
    });
  }
}

/** The line of each `[[package]]` header, in order: the n-th array entry starts at the n-th header. */
export function packageHeaderLines(text: string): number[] {
  const out: number[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i]!.trimEnd() === "[[package]]") out.push(i + 1);
  return out;
}
