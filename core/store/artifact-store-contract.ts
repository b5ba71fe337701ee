import { randomBytes } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { expect, it } from "vitest";
import { digestOf, type Digest } from "../artifact/digest.ts";
import {
  LAYER_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPE,
  MANIFEST_SCHEMA_VERSION,
  type ArtifactManifest,
  type LayerDescriptor,
} from "../artifact/manifest.ts";
import { encodeManifest, manifestDigest } from "../artifact/manifest-codec.ts";
import { BlobSourceMismatchError } from "./blob-source-mismatch-error.ts";
import { MAX_MANIFEST_BYTES } from "./decode-stored-manifest.ts";
import { encodeRefRecord } from "./ref-record-codec.ts";
import { InvalidSourceRefError } from "./store-layout.ts";
import { BlobNotFoundError, type ArtifactStore, type RefRecord } from "./store.ts";

/*
 * Behaviour every ArtifactStore must have, run against each implementation by its own test file
 * (folder-store.test.ts, s3-store.test.ts). Not a test file itself: it only registers tests.
 */

export interface ContractFixture {
  store: ArtifactStore;
  /** An empty folder for source files and downloads. */
  scratch: string;
  /** Writes bytes at a key of the store's layout directly, as an older Aether or another tool might have. */
  writeRaw(key: string, bytes: Buffer): Promise<void>;
}

export async function writeBlobFile(
  folder: string,
  name: string,
  size: number,
): Promise<{ path: string; digest: Digest; bytes: Buffer }> {
  const bytes = randomBytes(size);
  const path = join(folder, name);
  await writeFile(path, bytes);
  return { path, digest: digestOf(bytes), bytes };
}

export function sampleManifest(start = "server.js"): ArtifactManifest {
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    mediaType: MANIFEST_MEDIA_TYPE,
    runtime: { name: "node", version: "24" },
    start: ["node", start],
    port: 3000,
    healthPath: "/health",
    env: { NODE_ENV: "production" },
    layers: [
      { role: "deps", mediaType: LAYER_MEDIA_TYPE, digest: digestOf("deps"), size: 4, entries: 1, key: "k" },
      { role: "app", mediaType: LAYER_MEDIA_TYPE, digest: digestOf("app"), size: 3, entries: 1 },
    ],
  };
}

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const RECORD: RefRecord = {
  digest: digestOf("artifact"),
  path: ".",
  builtAt: "2025-01-02T03:04:05.000Z",
  builder: "test",
};

/** Registers the shared tests; `fixture` is called in each test for a fresh, empty store. */
export function artifactStoreContract(fixture: () => Promise<ContractFixture>): void {
  it("stores a blob once, reports it present, and fetches it back verified", async () => {
    const { store, scratch } = await fixture();
    const blob = await writeBlobFile(scratch, "layer.tgz", 300_000);
    expect(await store.hasBlob(blob.digest)).toBe(false);
    const progress: number[] = [];
    const put = await store.putBlob(blob.digest, blob.path, { onProgress: (n) => progress.push(n) });
    expect(put).toEqual({ uploaded: true, bytes: blob.bytes.length });
    expect(progress.at(-1)).toBe(blob.bytes.length);
    expect(await store.hasBlob(blob.digest)).toBe(true);

    const again = await store.putBlob(blob.digest, blob.path);
    expect(again).toEqual({ uploaded: false, bytes: blob.bytes.length });

    const destination = join(scratch, "out", "layer.tgz");
    await store.fetchBlob(blob.digest, destination);
    expect(await readFile(destination)).toEqual(blob.bytes);
    expect(await readdir(join(scratch, "out"))).toEqual(["layer.tgz"]);
    expect((await text(await store.openBlob(blob.digest))).length).toBeGreaterThan(0);
  });

  it("refuses a file whose content does not match the digest given, and stores nothing", async () => {
    const { store, scratch } = await fixture();
    const blob = await writeBlobFile(scratch, "layer.tgz", 1000);
    const claimed = digestOf("something else");
    const error = await store.putBlob(claimed, blob.path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobSourceMismatchError);
    expect(String(error)).toContain(blob.path);
    expect(String(error)).toContain(blob.digest);
    expect(await store.hasBlob(claimed)).toBe(false);
    expect(await store.hasBlob(blob.digest)).toBe(false);
  });

  it("answers a missing blob with BlobNotFoundError from fetch, open and getManifest", async () => {
    const { store, scratch } = await fixture();
    const missing = digestOf("missing");
    const destination = join(scratch, "never");
    await expect(store.fetchBlob(missing, destination)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.openBlob(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.getManifest(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await readdir(scratch)).toEqual([]);
  });

  it("stores manifests as their canonical bytes under the artifact digest", async () => {
    const { store, scratch } = await fixture();
    const manifest = sampleManifest();
    const first = await store.putManifest(manifest);
    expect(first).toEqual({ digest: manifestDigest(manifest), uploaded: true });
    expect(await store.putManifest(manifest)).toEqual({ digest: first.digest, uploaded: false });
    expect(await store.getManifest(first.digest)).toEqual(manifest);
    const destination = join(scratch, "manifest.json");
    await store.fetchBlob(first.digest, destination);
    expect(await readFile(destination)).toEqual(encodeManifest(manifest));
  });

  it("refuses to read a blob that is not a manifest as one", async () => {
    const { store, scratch } = await fixture();
    const blob = await writeBlobFile(scratch, "layer.tgz", 100);
    await store.putBlob(blob.digest, blob.path);
    await expect(store.getManifest(blob.digest)).rejects.toThrow(/manifest is not valid JSON/);
  });

  it("refuses to read a blob far too big to be a manifest", async () => {
    const { store, scratch } = await fixture();
    const blob = await writeBlobFile(scratch, "layer.tgz", MAX_MANIFEST_BYTES + 1);
    await store.putBlob(blob.digest, blob.path);
    await expect(store.getManifest(blob.digest)).rejects.toThrow(/too big for a manifest/);
  });

  it("indexes records by repository and commit, case-insensitively, and replaces them", async () => {
    const { store } = await fixture();
    const ref = { repository: "Octo-Org/web.app", commit: COMMIT };
    expect(await store.getRef(ref)).toBeUndefined();
    await store.putRef(ref, RECORD);
    expect(await store.getRef(ref)).toEqual(RECORD);
    expect(await store.getRef({ repository: "octo-org/WEB.APP", commit: COMMIT.toUpperCase() })).toEqual(
      RECORD,
    );
    expect(await store.getRef({ ...ref, path: "." })).toEqual(RECORD);
    expect(await store.getRef({ repository: "octo-org/other", commit: COMMIT })).toBeUndefined();
    const rebuilt = { ...RECORD, digest: digestOf("rebuilt"), builder: "again" };
    await store.putRef(ref, rebuilt);
    expect(await store.getRef(ref)).toEqual(rebuilt);
  });

  it("keeps one record per app path of a commit, so a monorepo's builds do not overwrite each other", async () => {
    const { store } = await fixture();
    const repository = "octo/shop";
    const web: RefRecord = {
      ...RECORD,
      digest: digestOf("web"),
      path: "apps/web",
      timings: { buildMs: 2400, uploadMs: 180 },
      bytes: { uploaded: 9_000, reused: 742_000 },
    };
    const api: RefRecord = { ...RECORD, digest: digestOf("api"), path: "apps/api" };
    await store.putRef({ repository, commit: COMMIT, path: "apps/web" }, web);
    expect(await store.getRef({ repository, commit: COMMIT, path: "apps/api" })).toBeUndefined();
    expect(await store.getRef({ repository, commit: COMMIT })).toBeUndefined();
    await store.putRef({ repository, commit: COMMIT, path: "./apps/api/" }, { ...api, path: "apps/api/" });
    await store.putRef({ repository, commit: COMMIT }, RECORD);
    expect(await store.getRef({ repository, commit: COMMIT, path: "apps/web" })).toEqual(web);
    expect(await store.getRef({ repository, commit: COMMIT, path: "apps//api" })).toEqual(api);
    expect(await store.getRef({ repository, commit: COMMIT, path: "apps/Web" })).toBeUndefined();
    expect(await store.getRef({ repository, commit: COMMIT })).toEqual(RECORD);
    // Paths that an encoding could confuse stay apart.
    const tricky = ["a/b", "a%2fb", "a%2Fb", "A/b"];
    for (const [i, path] of tricky.entries()) {
      await store.putRef(
        { repository, commit: COMMIT, path },
        { ...RECORD, path, digest: digestOf(path + i) },
      );
    }
    for (const [i, path] of tricky.entries()) {
      expect((await store.getRef({ repository, commit: COMMIT, path }))?.digest).toBe(digestOf(path + i));
    }
  });

  it("finds an app in a folder under the root key where older builders put it, but only for its own path", async () => {
    const { store, writeRaw } = await fixture();
    const ref = { repository: "octo/shop", commit: COMMIT };
    const legacy = { ...RECORD, path: "apps/web" };
    // What a builder wrote before the index had a key per path: the folder's build under the root key.
    await writeRaw(`refs/octo/shop/${COMMIT}.json`, encodeRefRecord(legacy));
    expect(await store.getRef({ ...ref, path: "apps/web" })).toEqual(legacy);
    expect(await store.getRef({ ...ref, path: "apps/api" })).toBeUndefined();
    const fresh = { ...legacy, digest: digestOf("fresh") };
    await store.putRef({ ...ref, path: "apps/web" }, fresh);
    expect(await store.getRef({ ...ref, path: "apps/web" })).toEqual(fresh);
  });

  it("refuses a record whose path is not the folder it is indexed under", async () => {
    const { store } = await fixture();
    const ref = { repository: "octo/shop", commit: COMMIT, path: "apps/web" };
    await expect(store.putRef(ref, { ...RECORD, path: "apps/api" })).rejects.toThrow(
      /says path "apps\/api" but is indexed under path "apps\/web"/,
    );
    await expect(store.putRef({ ...ref, path: "." }, { ...RECORD, path: "apps/web" })).rejects.toBeInstanceOf(
      InvalidSourceRefError,
    );
    expect(await store.getRef(ref)).toBeUndefined();
  });

  it("refuses refs whose repository or commit could name another key", async () => {
    const { store } = await fixture();
    const bad = [
      { repository: "../../blobs", commit: COMMIT },
      { repository: "octo/..", commit: COMMIT },
      { repository: "octo/web/extra", commit: COMMIT },
      { repository: "web", commit: COMMIT },
      { repository: "octo/web", commit: "../../../../blobs/sha256/x" },
      { repository: "octo/web", commit: "abc123" },
      { repository: "octo/web", commit: COMMIT, path: "../other" },
      { repository: "octo/web", commit: COMMIT, path: "/etc" },
      { repository: "octo/web", commit: COMMIT, path: "apps\\web" },
    ];
    for (const ref of bad) {
      await expect(store.putRef(ref, RECORD)).rejects.toBeInstanceOf(InvalidSourceRefError);
      await expect(store.getRef(ref)).rejects.toBeInstanceOf(InvalidSourceRefError);
    }
  });

  it("keeps the dependency-layer index by key, and ignores a record for another key", async () => {
    const { store } = await fixture();
    const key = "a".repeat(64);
    const layer: LayerDescriptor = {
      role: "deps",
      mediaType: LAYER_MEDIA_TYPE,
      digest: digestOf("deps layer"),
      size: 123,
      entries: 4,
      key,
    };
    expect(await store.getDepsLayer(key)).toBeUndefined();
    await store.putDepsLayer(key, layer);
    expect(await store.getDepsLayer(key)).toEqual(layer);
    const other = "b".repeat(64);
    await store.putDepsLayer(other, layer);
    expect(await store.getDepsLayer(other)).toBeUndefined();
    await expect(store.getDepsLayer("../../blobs")).rejects.toThrow(/not a dependency-layer key/);
  });

  it("keeps an artifact's attestation beside it, replaced by a newer one", async () => {
    const { store } = await fixture();
    const artifact = digestOf("artifact manifest");
    expect(await store.getAttestation(artifact)).toBeUndefined();
    await store.putAttestation(artifact, Buffer.from('{"payloadType":"a"}\n'));
    await store.putAttestation(artifact, Buffer.from('{"payloadType":"b"}\n'));
    expect((await store.getAttestation(artifact))?.toString()).toBe('{"payloadType":"b"}\n');
    await expect(store.getAttestation("sha256:../x" as Digest)).rejects.toThrow(/not a sha256 digest/);
  });
}
