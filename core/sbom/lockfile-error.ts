/** Why a lockfile could not be read. */
export type LockfileErrorKind = "missing" | "syntax" | "unsupported-version" | "invalid-entry";

/**
 * A lockfile that cannot be turned into an SBOM: missing, truncated, of a version we do not read, or with
 * an entry that lacks what every entry must have. The message names the file, the line and the entry.
 */
export class LockfileError extends Error {
  readonly kind: LockfileErrorKind;
  readonly file: string;
  /** 1-based line, when known. */
  readonly line: number | undefined;
  /** The entry's key (e.g. `node_modules/express`), when the problem is one entry. */
  readonly entry: string | undefined;
  constructor(opts: { kind: LockfileErrorKind; file: string; line?: number; entry?: string; why: string }) {
    const where = opts.line !== undefined && opts.line > 0 ? `${opts.file}:${opts.line}` : opts.file;
    const entry = opts.entry !== undefined ? ` (entry "${opts.entry}")` : "";
    super(`${where}${entry}: ${opts.why}`);
    this.name = "LockfileError";
    this.kind = opts.kind;
    this.file = opts.file;
    this.line = opts.line;
    this.entry = opts.entry;
  }
}

/** The 1-based line of a character offset in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Parses JSON, turning a syntax error into a LockfileError with the line where parsing stopped. */
export function parseJsonLockfile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : lineAt(text, text.length);
    throw new LockfileError({
      kind: "syntax",
      file,
      line,
      why: `not valid JSON (${message}); the file may be truncated or hand-edited: regenerate it with your package manager`,
    });
  }
}
