import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { readBackupIndex, writeBackupIndex, type BackupRecord } from "./backup-index.ts";

const tempDir = useTempDirs("aether-backup-index-");
const record: BackupRecord = {
  id: "shop@2030-01-01T00:00:00.000Z",
  database: "shop",
  digest: `sha256:${"a".repeat(64)}`,
  bytes: 10,
  createdAt: "2030-01-01T00:00:00.000Z",
  format: "pg_dump-custom",
};

describe("backup index", () => {
  it("is empty when absent and round-trips", async () => {
    const dir = await tempDir();
    expect(await readBackupIndex(join(dir, "index"), "shop")).toEqual([]);
    await writeBackupIndex(join(dir, "index"), "shop", [record]);
    expect(await readBackupIndex(join(dir, "index"), "shop")).toEqual([record]);
  });

  it("names the file when it is damaged", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "shop.json"), "{");
    await expect(readBackupIndex(dir, "shop")).rejects.toThrow(
      /shop\.json: the backup index is not valid JSON/,
    );
    await writeFile(join(dir, "shop.json"), JSON.stringify({ backups: [{ ...record, digest: "md5:x" }] }));
    await expect(readBackupIndex(dir, "shop")).rejects.toThrow(/backups\[0\]: digest/);
    await writeFile(join(dir, "shop.json"), "{}");
    await expect(readBackupIndex(dir, "shop")).rejects.toThrow(/no "backups" list/);
  });

  it("refuses database names that would escape the folder", async () => {
    const dir = await tempDir();
    await expect(writeBackupIndex(dir, "../etc", [])).rejects.toThrow(/cannot keep a backup index/);
  });
});
