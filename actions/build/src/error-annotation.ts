/** Where an error points in the repository, for an annotation: a file and, when known, a line. */
export interface AnnotationProperties {
  file?: string;
  startLine?: number;
}

/**
 * Finds a file (and line) named by an error or one of its causes: project-file errors carry `file` as
 * "path" or "path line N", lockfile errors a `line` of their own. Paths are made relative to the
 * workspace, as annotations expect.
 */
export function errorAnnotation(error: unknown, workspace: string): AnnotationProperties {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const file = (current as Error & { file?: unknown }).file;
    if (typeof file !== "string") continue;
    const match = /^(.*?)(?: line (\d+))?$/.exec(file);
    const path = (match?.[1] ?? file).replace(`${workspace.replace(/\/$/, "")}/`, "");
    const own = (current as Error & { line?: unknown }).line;
    const line =
      match?.[2] !== undefined ? Number(match[2]) : typeof own === "number" && own > 0 ? own : undefined;
    return line === undefined ? { file: path } : { file: path, startLine: line };
  }
  return {};
}
