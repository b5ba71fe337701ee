import { expect, it } from "vitest";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { BlobNotFoundError } from "./store.ts";
import { writeBlobFile, type ContractFixture } from "./artifact-store-contract.ts";

/*
 * The mutable records and blob deletion every ArtifactStore must have (the backup index and its retention),
 * run against each implementation by its own test file. Not a test file itself: it only registers tests.
 */
export function recordStoreContract(fixture: () => Promise<ContractFixture>): void {
  it("puts, replaces, reads and deletes records by key", async () => {
    const { store } = await fixture();
    expect(await store.getRecord("backups/shop/a.json")).toBeUndefined();
    await store.putRecord("backups/shop/a.json", Buffer.from("one"));
    await store.putRecord("backups/shop/a.json", new TextEncoder().encode("two"));
    expect((await store.getRecord("backups/shop/a.json"))?.toString()).toBe("two");
    await store.deleteRecord("backups/shop/a.json");
    expect(await store.getRecord("backups/shop/a.json")).toBeUndefined();
    await store.deleteRecord("backups/shop/a.json");
  });

  it("lists records under a prefix, sorted, including partial last segments", async () => {
    const { store } = await fixture();
    expect(await store.listRecords("backups/")).toEqual([]);
    for (const key of ["backups/shop/2.json", "backups/shop/1.json", "backups/shopping/1.json", "other/x"])
      await store.putRecord(key, Buffer.from(key));
    expect(await store.listRecords("backups/shop/")).toEqual(["backups/shop/1.json", "backups/shop/2.json"]);
    expect(await store.listRecords("backups/shop")).toEqual([
      "backups/shop/1.json",
      "backups/shop/2.json",
      "backups/shopping/1.json",
    ]);
    expect(await store.listRecords("")).toHaveLength(4);
    expect(await store.listRecords("nothing/")).toEqual([]);
  });

  it("refuses record keys that could leave the records area", async () => {
    const { store } = await fixture();
    for (const key of ["../blobs/x", "a/../../b", "", "a//b", ".hidden", "a/b/", "a\\b", "a b"]) {
      await expect(store.putRecord(key, Buffer.from("x"))).rejects.toThrow(/is not a record key/);
      await expect(store.getRecord(key)).rejects.toThrow(/is not a record key/);
    }
    await expect(store.listRecords("../")).rejects.toThrow(/is not a record key/);
  });

  it("deletes a blob, and deleting a missing one is a no-op", async () => {
    const { store, scratch } = await fixture();
    const blob = await writeBlobFile(scratch, "dump", 2000);
    await store.putBlob(blob.digest, blob.path);
    await store.deleteBlob(blob.digest);
    expect(await store.hasBlob(blob.digest)).toBe(false);
    await expect(store.openBlob(blob.digest)).rejects.toBeInstanceOf(BlobNotFoundError);
    await store.deleteBlob(blob.digest);
    await store.deleteBlob(digestOf("never stored"));
    await expect(store.deleteBlob("sha256:../../x" as Digest)).rejects.toThrow(/not a sha256 digest/);
  });
}
