import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { encodeManifest } from "../artifact/manifest-codec.ts";
import { artifactStoreContract, sampleManifest, writeBlobFile } from "./artifact-store-contract.ts";
import { recordStoreContract } from "./record-store-contract.ts";
import { BlobSourceMismatchError } from "./blob-source-mismatch-error.ts";
import { createFolderStore } from "./folder-store.ts";
import { CorruptBlobError } from "./store.ts";

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "aether-folder-store-"));
  temps.push(dir);
  const root = join(dir, "store");
  const scratch = join(dir, "scratch");
  await mkdir(scratch);
  const writeRaw = async (key: string, bytes: Buffer) => {
    const file = join(root, ...key.split("/"));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
  };
  return { store: createFolderStore(root), root, scratch, writeRaw };
}

async function listOrEmpty(folder: string): Promise<string[]> {
  return readdir(folder).catch(() => []);
}

/** Polls a condition that another party makes true (no timing is asserted, only that it happens). */
async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("createFolderStore", () => {
  describe("the ArtifactStore contract", () => {
    artifactStoreContract(setup);
  });

  describe("records and blob deletion", () => {
    recordStoreContract(setup);
  });

  it("names itself by a file: URL and uses the documented layout", async () => {
    const { store, root, scratch } = await setup();
    expect(store.url).toBe(pathToFileURL(root).href);
    const blob = await writeBlobFile(scratch, "a", 10);
    await store.putBlob(blob.digest, blob.path);
    const { digest } = await store.putManifest(sampleManifest());
    await store.putRef(
      { repository: "Octo/Web", commit: "a".repeat(40) },
      {
        digest,
        path: ".",
        builtAt: "t",
        builder: "b",
      },
    );
    const hex = (d: string) => d.slice("sha256:".length);
    expect((await readdir(join(root, "blobs", "sha256"))).sort()).toEqual(
      [hex(blob.digest), hex(digest)].sort(),
    );
    expect(await readFile(join(root, "blobs", "sha256", hex(digest)))).toEqual(
      encodeManifest(sampleManifest()),
    );
    expect(await readdir(join(root, "refs", "octo", "web"))).toEqual([`${"a".repeat(40)}.json`]);
    expect(await listOrEmpty(join(root, "tmp"))).toEqual([]);
  });

  it("never shows a blob while it is being written, nor after the source is cut short", async () => {
    const { store, root, scratch } = await setup();
    const full = Buffer.alloc(4 * 1024 * 1024, 7);
    const digest = digestOf(full);
    const fifo = join(scratch, "source.fifo");
    execFileSync("mkfifo", [fifo]);
    const putting = store.putBlob(digest, fifo).catch((error: unknown) => error);
    const writer = createWriteStream(fifo);
    writer.write(full.subarray(0, 1024 * 1024));
    // Half-way: the bytes sit in a temporary file, and the blob does not exist.
    await waitFor(async () => {
      const [temp] = await listOrEmpty(join(root, "tmp"));
      return temp !== undefined && (await stat(join(root, "tmp", temp))).size > 0;
    }, "the temporary file to fill");
    expect(await store.hasBlob(digest)).toBe(false);
    expect(await listOrEmpty(join(root, "blobs", "sha256"))).toEqual([]);
    // The writer stops early, like a packer that crashed.
    writer.end();
    const error = await putting;
    expect(error).toBeInstanceOf(BlobSourceMismatchError);
    expect(await store.hasBlob(digest)).toBe(false);
    expect(await listOrEmpty(join(root, "blobs", "sha256"))).toEqual([]);
    expect(await listOrEmpty(join(root, "tmp"))).toEqual([]);
  });

  it("leaves nothing when the source cannot be read", async () => {
    const { store, root, scratch } = await setup();
    const digest = digestOf("x");
    await expect(store.putBlob(digest, scratch)).rejects.toThrow(/EISDIR/);
    await expect(store.putBlob(digest, join(scratch, "absent"))).rejects.toThrow(/ENOENT/);
    expect(await store.hasBlob(digest)).toBe(false);
    expect(await listOrEmpty(join(root, "tmp"))).toEqual([]);
  });

  it("detects a corrupt blob on fetch and never creates the destination", async () => {
    const { store, root, scratch } = await setup();
    const blob = await writeBlobFile(scratch, "layer.tgz", 200_000);
    await store.putBlob(blob.digest, blob.path);
    const stored = join(root, "blobs", "sha256", blob.digest.slice("sha256:".length));
    const flipped = Buffer.from(blob.bytes);
    flipped[100_000] = (flipped[100_000] ?? 0) ^ 1;
    await writeFile(stored, flipped);
    const out = join(scratch, "out");
    await mkdir(out);
    const error = await store.fetchBlob(blob.digest, join(out, "layer.tgz")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptBlobError);
    expect(String(error)).toContain(digestOf(flipped));
    expect(await readdir(out)).toEqual([]);
  });

  it("detects a corrupt manifest", async () => {
    const { store, root } = await setup();
    const { digest } = await store.putManifest(sampleManifest());
    const other = encodeManifest(sampleManifest("other.js"));
    await writeFile(join(root, "blobs", "sha256", digest.slice("sha256:".length)), other);
    await expect(store.getManifest(digest)).rejects.toBeInstanceOf(CorruptBlobError);
  });

  it("ends ten parallel puts of one blob with one good blob and no leftovers", async () => {
    const { store, root, scratch } = await setup();
    const blob = await writeBlobFile(scratch, "layer.tgz", 2 * 1024 * 1024);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.putBlob(blob.digest, blob.path)),
    );
    expect(results.every((r) => r.bytes === blob.bytes.length)).toBe(true);
    expect(results.some((r) => r.uploaded)).toBe(true);
    expect(await readdir(join(root, "blobs", "sha256"))).toEqual([blob.digest.slice("sha256:".length)]);
    expect(await listOrEmpty(join(root, "tmp"))).toEqual([]);
    const destination = join(scratch, "fetched");
    await store.fetchBlob(blob.digest, destination);
    expect(digestOf(await readFile(destination))).toBe(blob.digest);
  });

  it("reports a ref record that is not valid", async () => {
    const { store, root } = await setup();
    const ref = { repository: "octo/web", commit: "b".repeat(40) };
    await mkdir(join(root, "refs", "octo", "web"), { recursive: true });
    await writeFile(join(root, "refs", "octo", "web", `${"b".repeat(40)}.json`), '{"digest":"nope"}');
    await expect(store.getRef(ref)).rejects.toThrow(/refs\/octo\/web\/b{40}\.json: ref record field digest/);
  });
});
