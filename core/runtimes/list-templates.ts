import { readdir } from "node:fs/promises";

/** The template names in `examplesDir`: its folders, sorted. Empty when the folder does not exist. */
export async function listTemplates(examplesDir: string): Promise<string[]> {
  const entries = await readdir(examplesDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
}
