import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isDigest, type Digest } from "../artifact/digest.ts";

/** One backup: a pg_dump custom-format archive stored as a blob in the artifact store. */
export interface BackupRecord {
  /** `<database>@<createdAt>`: what `aether db restore --from` takes. */
  id: string;
  database: string;
  digest: Digest;
  bytes: number;
  createdAt: string;
  format: "pg_dump-custom";
}

/**
 * The first backup index: a folder handed in (one JSON file per database). The index now lives in the
 * artifact store (backup-catalog.ts), shared by everyone using it; this is kept for callers that still pass
 * `indexDir` to `backupDatabase` and for reading such folders.
 */
export async function readBackupIndex(indexDir: string, database: string): Promise<BackupRecord[]> {
  const file = indexFile(indexDir, database);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file}: the backup index is not valid JSON; restore it from a copy or remove it`);
  }
  const backups =
    typeof value === "object" && value !== null && "backups" in value ? value.backups : undefined;
  if (!Array.isArray(backups)) throw new Error(`${file}: the backup index has no "backups" list`);
  return backups.map((entry: unknown, i) => parseBackupRecord(entry, `${file}: backups[${i}]`));
}

/** Replaces the index for `database` atomically (write then rename). */
export async function writeBackupIndex(
  indexDir: string,
  database: string,
  records: BackupRecord[],
): Promise<void> {
  await mkdir(indexDir, { recursive: true });
  const file = indexFile(indexDir, database);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify({ version: 1, backups: records }, null, 2)}\n`);
  await rename(temp, file);
}

function indexFile(indexDir: string, database: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(database) || database.startsWith(".")) {
    throw new Error(`cannot keep a backup index for database "${database}": use letters, digits, _ . -`);
  }
  return join(indexDir, `${database}.json`);
}

/** Checks one backup record read from JSON; `where` names it in errors. */
export function parseBackupRecord(entry: unknown, where: string): BackupRecord {
  if (typeof entry !== "object" || entry === null) throw new Error(`${where} is not an object`);
  const record: Record<string, unknown> = { ...entry };
  const { id, database, digest, bytes, createdAt, format } = record;
  if (typeof id !== "string" || typeof database !== "string" || typeof createdAt !== "string") {
    throw new Error(`${where}: id, database and createdAt must be strings`);
  }
  if (typeof digest !== "string" || !isDigest(digest))
    throw new Error(`${where}: digest is not a sha256 digest`);
  if (typeof bytes !== "number" || format !== "pg_dump-custom")
    throw new Error(`${where}: bad bytes or format`);
  return { id, database, digest, bytes, createdAt, format };
}
