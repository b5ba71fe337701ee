import { LockfileError } from "./lockfile-error.ts";

/** A parsed YAML lockfile with the 1-based line of each top-level (and second-level) key. */
export interface YamlLockfile {
  data: Record<string, unknown>;
  /** `key` for top-level keys, `parent\nkey` for keys one level down. */
  lines: Map<string, number>;
}

/**
 * Parses YAML with the `yaml` package (loaded on first use), turning syntax errors into LockfileError
 * with the parser's line, and recording key positions for entry-level errors.
 */
export async function parseYamlLockfile(text: string, file: string): Promise<YamlLockfile> {
  const { parseDocument, LineCounter, isMap, isScalar } = await import("yaml");
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    throw new LockfileError({
      kind: "syntax",
      file,
      line: error.linePos?.[0].line ?? 0,
      why: `not valid YAML (${error.message.split("\n")[0]}); the file may be truncated or hand-edited: regenerate it`,
    });
  }
  const lines = new Map<string, number>();
  const record = (node: unknown, prefix: string, depth: number) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      const key = `${prefix}${String(pair.key.value)}`;
      lines.set(key, counter.linePos(pair.key.range[0]).line);
      if (depth === 0) record(pair.value, `${key}\n`, 1);
    }
  };
  record(doc.contents, "", 0);
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new LockfileError({ kind: "syntax", file, line: 1, why: "the top level is not a YAML mapping" });
  }
  return { data: data as Record<string, unknown>, lines };
}
