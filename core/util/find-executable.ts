import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Finds a program the way a shell would: the first executable file named `name` in the folders of
 * `searchPath` (a PATH value handed in, since core does not read the environment). A name with a slash
 * is not searched. Returns the full path, or undefined when there is none.
 * @example await findExecutable("mvn", env.PATH ?? "")
 */
export async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  if (name.includes("/")) return undefined;
  for (const folder of searchPath.split(delimiter)) {
    // Empty or relative PATH entries mean "the current folder", which depends on where we happen to run.
    if (folder === "" || !isAbsolute(folder)) continue;
    const candidate = join(folder, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** A `hasCommand` check bound to one PATH value, as detectRuntime takes it. */
export function createHasCommand(searchPath: string): (name: string) => Promise<boolean> {
  return async (name) => (await findExecutable(name, searchPath)) !== undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
