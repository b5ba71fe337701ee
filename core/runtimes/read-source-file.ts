import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** The text of `relative` inside `dir`, or undefined when there is no such file. */
export async function readSourceFile(dir: string, relative: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, relative), "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** True when `relative` inside `dir` is a regular file. */
export async function sourceFileExists(dir: string, relative: string): Promise<boolean> {
  const info = await stat(join(dir, relative)).catch(() => undefined);
  return info?.isFile() ?? false;
}

/** True when `relative` inside `dir` is a folder. */
export async function sourceFolderExists(dir: string, relative: string): Promise<boolean> {
  const info = await stat(join(dir, relative)).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR");
}
