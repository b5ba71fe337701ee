import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { digestOf } from "../artifact/digest.ts";
import { createFolderStore } from "../store/folder-store.ts";
import type { ArtifactStore } from "../store/store.ts";
import { backupRecordKey, listBackups, pruneBackups, putBackupRecord } from "./backup-catalog.ts";
import type { BackupRecord } from "./backup-index.ts";

const tempDir = useTempDirs("aether-backup-catalog-");

/** Stores a blob with `content` and returns a record of `database` made at `createdAt` pointing to it. */
async function backup(
  store: ArtifactStore,
  dir: string,
  database: string,
  createdAt: string,
  content: string,
): Promise<BackupRecord> {
  const file = join(dir, `${database}-${createdAt.replace(/:/g, "")}`);
  await writeFile(file, content);
  const digest = digestOf(content);
  await store.putBlob(digest, file);
  const record: BackupRecord = {
    id: `${database}@${createdAt}`,
    database,
    digest,
    bytes: content.length,
    createdAt,
    format: "pg_dump-custom",
  };
  await putBackupRecord(store, record);
  return record;
}

describe("the backup index in the store", () => {
  it("keeps one record per backup, listed oldest first, per database or all", async () => {
    const dir = await tempDir();
    const store = createFolderStore(join(dir, "store"));
    const b = await backup(store, dir, "shop", "2030-01-02T00:00:00.000Z", "b");
    const a = await backup(store, dir, "shop", "2030-01-01T00:00:00.000Z", "a");
    const other = await backup(store, dir, "shopping", "2030-01-03T00:00:00.000Z", "c");
    expect(backupRecordKey(a)).toBe("previewdb/backups/shop/2030-01-01T000000.000Z.json");
    expect(await listBackups(store, "shop")).toEqual([a, b]);
    expect(await listBackups(store)).toEqual([a, b, other]);
    expect(await listBackups(store, "nothing")).toEqual([]);
  });

  it("is shared: a second store object on the same folder sees the same backups", async () => {
    const dir = await tempDir();
    const a = await backup(
      createFolderStore(join(dir, "store")),
      dir,
      "shop",
      "2030-01-01T00:00:00.000Z",
      "a",
    );
    expect(await listBackups(createFolderStore(join(dir, "store")), "shop")).toEqual([a]);
  });

  it("names a damaged record", async () => {
    const dir = await tempDir();
    const store = createFolderStore(join(dir, "store"));
    await store.putRecord("previewdb/backups/shop/x.json", Buffer.from("{"));
    await expect(listBackups(store, "shop")).rejects.toThrow(
      /backup record previewdb\/backups\/shop\/x.json is not valid JSON/,
    );
  });

  it("prunes by policy: drops old records and their blobs, but not a blob another backup shares", async () => {
    const dir = await tempDir();
    const store = createFolderStore(join(dir, "store"));
    const oldest = await backup(store, dir, "shop", "2030-01-01T00:00:00.000Z", "same bytes");
    const old = await backup(store, dir, "shop", "2030-01-02T00:00:00.000Z", "old");
    const newer = await backup(store, dir, "shop", "2030-01-03T00:00:00.000Z", "newer");
    const newest = await backup(store, dir, "shop", "2030-01-04T00:00:00.000Z", "newest");
    const twin = await backup(store, dir, "staging", "2030-01-01T00:00:00.000Z", "same bytes");
    const pruned = await pruneBackups({
      store,
      database: "shop",
      policy: { keepLast: 2 },
      now: new Date("2030-02-01T00:00:00Z"),
    });
    expect(pruned.kept).toEqual([newest, newer]);
    expect(pruned.dropped).toEqual([old, oldest]);
    expect(pruned.deletedBlobs).toEqual([old.digest]);
    expect(await store.hasBlob(old.digest)).toBe(false);
    expect(await store.hasBlob(oldest.digest)).toBe(true);
    expect(await listBackups(store, "shop")).toEqual([newer, newest]);
    expect(await listBackups(store, "staging")).toEqual([twin]);
  });

  it("keeps everything when the policy asks for nothing to be dropped", async () => {
    const dir = await tempDir();
    const store = createFolderStore(join(dir, "store"));
    const a = await backup(store, dir, "shop", "2030-01-01T00:00:00.000Z", "a");
    const pruned = await pruneBackups({
      store,
      database: "shop",
      policy: {},
      now: new Date("2031-01-01T00:00:00Z"),
    });
    expect(pruned).toEqual({ kept: [a], dropped: [], deletedBlobs: [] });
  });
});
