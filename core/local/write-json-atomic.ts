import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Writes JSON so that readers see the old file or the new one, never half of one: a temporary file beside
 * the target, then a rename (atomic within one filesystem).
 */
export async function writeJsonAtomic(file: string, value: unknown, mode = 0o644): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
