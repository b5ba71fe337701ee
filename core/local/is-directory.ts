import { stat } from "node:fs/promises";

/** True when `path` exists and is a folder. */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
