import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { ArtifactStore } from "../store/store.ts";
import { putBackupRecord } from "./backup-catalog.ts";
import { readBackupIndex, writeBackupIndex, type BackupRecord } from "./backup-index.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { PgToolError } from "./previewdb-errors.ts";
import { runPgTool } from "./run-pg-tool.ts";
import { hashingStream } from "../util/hashing-stream.ts";

/** The named database does not exist on the server. */
export class UnknownDatabaseError extends Error {
  constructor(database: string, where: string) {
    super(`${where}: there is no database "${database}"; "aether db list" shows the ones Aether manages`);
    this.name = "UnknownDatabaseError";
  }
}

export interface BackupRequest {
  admin: PostgresAdmin;
  database: string;
  /** Folder holding pg_dump; its major version must be at least the server's. */
  binDir: string;
  /** Gets the dump as a blob, and its record in the backup index (`listBackups`). */
  store: ArtifactStore;
  /** Also append the record to this legacy local index folder (`readBackupIndex`); the store is the index. */
  indexDir?: string;
  /** Where the dump is spooled before upload (removed afterwards). */
  tempDir: string;
  now: () => Date;
}

/**
 * Dumps `database` with `pg_dump -Fc`, hashing as it writes the spool file, puts the file into the store
 * under its digest (content-addressed: an unchanged database stored twice costs nothing, though pg_dump
 * output is rarely byte-identical), and records it in the store's backup index (`listBackups`).
 */
export async function backupDatabase(request: BackupRequest): Promise<BackupRecord> {
  const { admin, database } = request;
  const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (found.length === 0) throw new UnknownDatabaseError(database, admin.where);
  const spool = await mkdtemp(join(request.tempDir, "aether-backup-"));
  try {
    const file = join(spool, "dump.pgcustom");
    const tap = hashingStream();
    const writing = pipeline(tap.stream, createWriteStream(file));
    const result = await runPgTool({
      program: join(request.binDir, "pg_dump"),
      args: ["-Fc", "-d", database],
      connection: admin.connection,
      stdout: tap.stream,
    });
    await writing;
    if (result.code !== 0) throw dumpError(result.stderr, database, request.binDir, admin.where);
    const digest = tap.digest();
    await request.store.putBlob(digest, file);
    const createdAt = request.now().toISOString();
    const record: BackupRecord = {
      id: `${database}@${createdAt}`,
      database,
      digest,
      bytes: tap.bytes(),
      createdAt,
      format: "pg_dump-custom",
    };
    await putBackupRecord(request.store, record);
    if (request.indexDir !== undefined) {
      const index = await readBackupIndex(request.indexDir, database);
      await writeBackupIndex(request.indexDir, database, [...index, record]);
    }
    return record;
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

/** The error for a failed pg_dump, naming a client older than the server when that is why. */
export function dumpError(stderr: string, database: string, binDir: string, where: string): PgToolError {
  if (/server version mismatch/.test(stderr)) {
    return new PgToolError(
      `pg_dump in ${binDir} is older than the server at ${where} and refuses to dump "${database}". ` +
        `Point the PostgreSQL tools folder at a pg_dump of the server's major version or newer.`,
      stderr,
    );
  }
  return new PgToolError(`pg_dump of "${database}" on ${where} failed; nothing was stored.`, stderr);
}
