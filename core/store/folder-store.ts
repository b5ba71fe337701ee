import { createReadStream } from "node:fs";
import { open, readFile, readdir, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { digestOf, type Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { encodeManifest } from "../artifact/manifest-codec.ts";
import { BlobSourceMismatchError } from "./blob-source-mismatch-error.ts";
import { assertManifestSize, decodeStoredManifest } from "./decode-stored-manifest.ts";
import { decodeRefRecord } from "./ref-record-codec.ts";
import { lookUpRef, refEntry } from "./ref-index.ts";
import { BlobNotFoundError, CorruptBlobError, type ArtifactStore, type PutBlobOptions } from "./store.ts";
import { decodeDepsLayer, encodeDepsLayer } from "./deps-layer-codec.ts";
import {
  RECORDS_FOLDER,
  TEMP_FOLDER,
  attestationKey,
  blobKey,
  depsLayerKey,
  recordKey,
  recordPrefix,
} from "./store-layout.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";

/**
 * A store in a local folder (layout in store-layout.ts). Every write goes to `<root>/tmp` and is renamed
 * into place once complete and verified, so readers never see half a blob, even after a crash; leftovers in
 * `tmp` are invisible and safe to delete.
 * @example createFolderStore("/home/me/app/.aether/store")
 */
export function createFolderStore(root: string): ArtifactStore {
  const base = resolve(root);
  const url = pathToFileURL(base).href;
  const tempDir = join(base, TEMP_FOLDER);
  const fileOf = (key: string): string => join(base, ...key.split("/"));

  async function blobSize(digest: Digest): Promise<number | undefined> {
    const info = await stat(fileOf(blobKey(digest))).catch((error: unknown) => {
      if (isErrno(error, "ENOENT")) return undefined;
      throw error;
    });
    return info?.isFile() === true ? info.size : undefined;
  }

  async function openExisting(digest: Digest): Promise<FileHandle> {
    try {
      return await open(fileOf(blobKey(digest)), "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) throw new BlobNotFoundError(digest, url);
      throw error;
    }
  }

  /** Writes small bytes whose digest we computed ourselves, so the check cannot fail on a good disk. */
  async function putBytes(key: string, bytes: Buffer): Promise<void> {
    const digest = digestOf(bytes);
    await writeFileAtomic({
      source: Readable.from([bytes]),
      destination: fileOf(key),
      tempDir,
      expected: { digest, mismatch: (actual) => new CorruptBlobError(digest, actual, url) },
    });
  }

  return {
    url,
    async hasBlob(digest) {
      return (await blobSize(digest)) !== undefined;
    },
    async putBlob(digest, path, options: PutBlobOptions = {}) {
      const existing = await blobSize(digest);
      if (existing !== undefined) return { uploaded: false, bytes: existing };
      const bytes = await writeFileAtomic({
        source: createReadStream(path),
        destination: fileOf(blobKey(digest)),
        tempDir,
        expected: {
          digest,
          mismatch: (actual) => new BlobSourceMismatchError({ digest, actual, path, storeUrl: url }),
        },
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      });
      return { uploaded: true, bytes };
    },
    async fetchBlob(digest, destination) {
      const handle = await openExisting(digest);
      await writeFileAtomic({
        source: handle.createReadStream(),
        destination,
        tempDir: dirname(resolve(destination)),
        expected: { digest, mismatch: (actual) => new CorruptBlobError(digest, actual, url) },
      });
    },
    async openBlob(digest) {
      const handle = await openExisting(digest);
      return handle.createReadStream();
    },
    async putManifest(manifest: ArtifactManifest) {
      const bytes = encodeManifest(manifest);
      const digest = digestOf(bytes);
      if ((await blobSize(digest)) !== undefined) return { digest, uploaded: false };
      await putBytes(blobKey(digest), bytes);
      return { digest, uploaded: true };
    },
    async getManifest(digest) {
      const handle = await openExisting(digest);
      try {
        assertManifestSize({ size: (await handle.stat()).size, digest, storeUrl: url });
        return decodeStoredManifest({ bytes: await handle.readFile(), digest, storeUrl: url });
      } finally {
        await handle.close();
      }
    },
    async putRef(ref, record) {
      const { key, bytes } = refEntry(ref, record);
      await putBytes(key, bytes);
    },
    async getRef(ref) {
      return lookUpRef(ref, async (key) => {
        const bytes = await readFile(fileOf(key)).catch((error: unknown) => {
          if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return undefined;
          throw error;
        });
        return bytes === undefined ? undefined : decodeRefRecord(bytes, `${url}/${key}`);
      });
    },
    async putDepsLayer(key, layer) {
      await putBytes(depsLayerKey(key), encodeDepsLayer(layer));
    },
    async getDepsLayer(key) {
      const bytes = await readFile(fileOf(depsLayerKey(key))).catch((error: unknown) => {
        if (isErrno(error, "ENOENT")) return undefined;
        throw error;
      });
      return bytes === undefined ? undefined : decodeDepsLayer(bytes, key);
    },
    async putAttestation(artifact, envelope) {
      await putBytes(attestationKey(artifact), envelope);
    },
    async getAttestation(artifact) {
      return readFile(fileOf(attestationKey(artifact))).catch((error: unknown) => {
        if (isErrno(error, "ENOENT")) return undefined;
        throw error;
      });
    },
    async putRecord(key, bytes) {
      await putBytes(recordKey(key), Buffer.from(bytes));
    },
    async getRecord(key) {
      return readFile(fileOf(recordKey(key))).catch((error: unknown) => {
        if (isErrno(error, "ENOENT") || isErrno(error, "EISDIR")) return undefined;
        throw error;
      });
    },
    async listRecords(prefix) {
      const full = recordPrefix(prefix);
      const folder = full.slice(0, full.lastIndexOf("/"));
      const keys = await filesUnder(fileOf(folder), folder.slice(RECORDS_FOLDER.length + 1));
      const wanted = full.slice(RECORDS_FOLDER.length + 1);
      return keys.filter((key) => key.startsWith(wanted)).sort();
    },
    async deleteRecord(key) {
      await rm(fileOf(recordKey(key)), { force: true });
    },
    async deleteBlob(digest) {
      await rm(fileOf(blobKey(digest)), { force: true });
    },
  };
}

/** Every file below `folder`, as `/`-joined keys starting with `keyPrefix`; none when it does not exist. */
async function filesUnder(folder: string, keyPrefix: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return [];
    throw error;
  });
  const keys: string[] = [];
  for (const entry of entries) {
    const key = keyPrefix === "" ? entry.name : `${keyPrefix}/${entry.name}`;
    if (entry.isDirectory()) keys.push(...(await filesUnder(join(folder, entry.name), key)));
    else if (entry.isFile()) keys.push(key);
  }
  return keys;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
