import type { Digest } from "../artifact/digest.ts";
import type { ArtifactStore } from "../store/store.ts";
import { parseBackupRecord, type BackupRecord } from "./backup-index.ts";
import { applyRetention, type RetentionPolicy } from "./backup-retention.ts";

/*
 * The backup index, kept in the artifact store as one record per backup:
 *   previewdb/backups/<database>/<createdAt without colons>.json
 * One record per backup (never a shared list rewritten by each writer), so two machines backing up at
 * once cannot lose each other's entries, and everyone sharing an S3 store sees the same backups.
 */
const ROOT = "previewdb/backups";

/** The store key of a backup's record. */
export function backupRecordKey(record: Pick<BackupRecord, "database" | "createdAt">): string {
  return `${ROOT}/${record.database}/${record.createdAt.replace(/:/g, "")}.json`;
}

/** Adds a backup to the store's index. */
export async function putBackupRecord(store: ArtifactStore, record: BackupRecord): Promise<void> {
  await store.putRecord(backupRecordKey(record), Buffer.from(`${JSON.stringify(record)}\n`));
}

/**
 * The backups in the store's index, oldest first: of one database, or of all when `database` is absent.
 * @example const [newest] = (await listBackups(store, "aether_octo_shop_production_1f0c2a3b4d")).reverse();
 */
export async function listBackups(store: ArtifactStore, database?: string): Promise<BackupRecord[]> {
  const keys = await store.listRecords(database === undefined ? `${ROOT}/` : `${ROOT}/${database}/`);
  const records: BackupRecord[] = [];
  for (const key of keys) {
    const bytes = await store.getRecord(key);
    if (bytes === undefined) continue; // removed by retention since the listing
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8"));
    } catch {
      throw new Error(
        `${store.url}: backup record ${key} is not valid JSON; remove it or restore it from a copy`,
      );
    }
    records.push(parseBackupRecord(value, `${store.url}: backup record ${key}`));
  }
  return records.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** Removes a backup's record (not its blob, which another record may share; `pruneBackups` does both). */
export async function deleteBackupRecord(store: ArtifactStore, record: BackupRecord): Promise<void> {
  await store.deleteRecord(backupRecordKey(record));
}

export interface PrunedBackups {
  kept: BackupRecord[];
  dropped: BackupRecord[];
  /** Blobs removed from the store: those of dropped backups that no remaining backup shares. */
  deletedBlobs: Digest[];
}

/**
 * Applies a retention policy to one database's backups: records the policy lets go are removed from the
 * index, then their blobs, unless another backup (of any database) still refers to the same digest.
 * @example await pruneBackups({ store, database, policy: { keepLast: 7 }, now: new Date() })
 */
export async function pruneBackups(request: {
  store: ArtifactStore;
  database: string;
  policy: RetentionPolicy;
  now: Date;
}): Promise<PrunedBackups> {
  const { store } = request;
  const { keep, drop } = applyRetention(
    await listBackups(store, request.database),
    request.policy,
    request.now,
  );
  for (const record of drop) await deleteBackupRecord(store, record);
  const stillUsed = new Set((await listBackups(store)).map((record) => record.digest));
  const deletedBlobs: Digest[] = [];
  for (const digest of new Set(drop.map((record) => record.digest))) {
    if (stillUsed.has(digest)) continue;
    await store.deleteBlob(digest);
    deletedBlobs.push(digest);
  }
  return { kept: keep, dropped: drop, deletedBlobs };
}
