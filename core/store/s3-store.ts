import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type GetObjectCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createReadStream } from "node:fs";
import { dirname, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { MANIFEST_MEDIA_TYPE, type ArtifactManifest } from "../artifact/manifest.ts";
import { encodeManifest } from "../artifact/manifest-codec.ts";
import { BlobSourceMismatchError } from "./blob-source-mismatch-error.ts";
import { assertManifestSize, decodeStoredManifest } from "./decode-stored-manifest.ts";
import { DigestCheck } from "./digest-check.ts";
import { decodeRefRecord } from "./ref-record-codec.ts";
import { lookUpRef, refEntry } from "./ref-index.ts";
import { BlobNotFoundError, CorruptBlobError, type ArtifactStore, type PutBlobOptions } from "./store.ts";
import { decodeDepsLayer, encodeDepsLayer } from "./deps-layer-codec.ts";
import {
  RECORDS_FOLDER,
  attestationKey,
  blobKey,
  depsLayerKey,
  recordKey,
  recordPrefix,
} from "./store-layout.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";

/** S3 needs parts of at least 5 MiB; 8 MiB × 4 in flight keeps memory near 32 MiB per upload. */
export const PART_SIZE = 8 * 1024 * 1024;
export const QUEUE_SIZE = 4;

/**
 * A store in an S3 bucket under `prefix` (layout in store-layout.ts), through any S3-compatible endpoint
 * the client points at. Large blobs go up as multipart uploads that are aborted on failure: an object
 * becomes visible only when complete, so an interrupted upload leaves nothing behind.
 * @example createS3Store({ bucket: "builds", prefix: "aether", client: new S3Client({}) })
 */
export function createS3Store(options: { bucket: string; prefix: string; client: S3Client }): ArtifactStore {
  const { bucket, client } = options;
  const prefix = options.prefix.replace(/^\/+|\/+$/g, "");
  const url = `s3://${bucket}${prefix === "" ? "" : `/${prefix}`}`;
  const keyOf = (key: string): string => (prefix === "" ? key : `${prefix}/${key}`);

  async function headSize(key: string): Promise<number | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw failure(error, `HeadObject ${keyOf(key)}`);
    }
  }

  async function getObject(key: string): Promise<GetObjectCommandOutput | undefined> {
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw failure(error, `GetObject ${keyOf(key)}`);
    }
  }

  async function openExisting(digest: Digest): Promise<Readable> {
    const object = await getObject(blobKey(digest));
    if (object === undefined) throw new BlobNotFoundError(digest, url);
    if (!(object.Body instanceof Readable)) {
      throw new Error(`${url}: GetObject ${keyOf(blobKey(digest))} returned no readable body`);
    }
    return object.Body;
  }

  async function putBytes(key: string, bytes: Buffer, contentType: string): Promise<void> {
    try {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: keyOf(key), Body: bytes, ContentType: contentType }),
      );
    } catch (error) {
      throw failure(error, `PutObject ${keyOf(key)}`);
    }
  }

  async function upload(digest: Digest, path: string, onProgress?: (bytes: number) => void): Promise<number> {
    const key = keyOf(blobKey(digest));
    // The check fails the body stream before its end when the file is not what the digest says (changed,
    // cut short, unreadable), so the last part is never sent and the upload is never completed.
    const check = new DigestCheck({
      expected: {
        digest,
        mismatch: (actual) => new BlobSourceMismatchError({ digest, actual, path, storeUrl: url }),
      },
    });
    let sourceError: unknown;
    const feeding = pipeline(createReadStream(path), check).catch((error: unknown) => {
      sourceError = error;
    });
    const transfer = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: check, ContentType: "application/octet-stream" },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    if (onProgress !== undefined) {
      transfer.on("httpUploadProgress", (progress) => {
        if (progress.loaded !== undefined) onProgress(progress.loaded);
      });
    }
    try {
      await transfer.done();
      await feeding;
      return check.bytes;
    } catch (error) {
      // The upload may have failed without reading the whole body; stop the feed so it settles.
      check.destroy();
      await feeding;
      // Upload aborts its multipart upload itself, but when that abort fails its error replaces the
      // original one; so abort again (a no-op when already gone) and report what really went wrong.
      const leftover = await abortLeftover(key, transfer.uploadId);
      const primary = sourceError instanceof Error && !isPrematureClose(sourceError) ? sourceError : error;
      const base =
        primary instanceof BlobSourceMismatchError ? primary : failure(primary, `upload of ${key}`);
      if (leftover === undefined) throw base;
      throw new Error(
        `${base.message}; also, the unfinished multipart upload ${transfer.uploadId} of ${key} could not be ` +
          `aborted (${leftover}): it is invisible but takes space until aborted or expired by a lifecycle rule`,
        { cause: error },
      );
    }
  }

  /** Aborts a multipart upload; returns why that failed, or undefined when it is gone. */
  async function abortLeftover(key: string, uploadId: string | undefined): Promise<string | undefined> {
    if (uploadId === undefined) return undefined;
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      return undefined;
    } catch (error) {
      return isNotFound(error) ? undefined : errorMessage(error);
    }
  }

  async function deleteObject(key: string): Promise<void> {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
    } catch (error) {
      if (!isNotFound(error)) throw failure(error, `DeleteObject ${keyOf(key)}`);
    }
  }

  /** Every key under `storePrefix` (relative to the store's root), following continuation tokens. */
  async function listKeys(storePrefix: string): Promise<string[]> {
    const keys: string[] = [];
    const strip = keyOf("").length;
    let token: string | undefined;
    do {
      const page = await client
        .send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: keyOf(storePrefix),
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        )
        .catch((error: unknown) => {
          throw failure(error, `ListObjectsV2 ${keyOf(storePrefix)}`);
        });
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(strip));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  }

  function failure(error: unknown, what: string): Error {
    return new Error(`${url}: ${what} failed: ${errorMessage(error)}`, { cause: error });
  }

  return {
    url,
    async hasBlob(digest) {
      return (await headSize(blobKey(digest))) !== undefined;
    },
    async putBlob(digest, path, putOptions: PutBlobOptions = {}) {
      const existing = await headSize(blobKey(digest));
      if (existing !== undefined) return { uploaded: false, bytes: existing };
      return { uploaded: true, bytes: await upload(digest, path, putOptions.onProgress) };
    },
    async fetchBlob(digest, destination) {
      const source = await openExisting(digest);
      await writeFileAtomic({
        source,
        destination,
        tempDir: dirname(resolve(destination)),
        expected: { digest, mismatch: (actual) => new CorruptBlobError(digest, actual, url) },
      });
    },
    openBlob: openExisting,
    async putManifest(manifest: ArtifactManifest) {
      const bytes = encodeManifest(manifest);
      const digest = digestOf(bytes);
      if ((await headSize(blobKey(digest))) !== undefined) return { digest, uploaded: false };
      await putBytes(blobKey(digest), bytes, MANIFEST_MEDIA_TYPE);
      return { digest, uploaded: true };
    },
    async getManifest(digest) {
      const object = await getObject(blobKey(digest));
      if (object?.Body === undefined) throw new BlobNotFoundError(digest, url);
      if (object.ContentLength !== undefined) {
        try {
          assertManifestSize({ size: object.ContentLength, digest, storeUrl: url });
        } catch (error) {
          if (object.Body instanceof Readable) object.Body.destroy();
          throw error;
        }
      }
      const bytes = await object.Body.transformToByteArray();
      return decodeStoredManifest({ bytes, digest, storeUrl: url });
    },
    async putRef(ref, record) {
      const { key, bytes } = refEntry(ref, record);
      await putBytes(key, bytes, "application/json");
    },
    async getRef(ref) {
      return lookUpRef(ref, async (key) => {
        const object = await getObject(key);
        if (object?.Body === undefined) return undefined;
        return decodeRefRecord(await object.Body.transformToByteArray(), `${url}/${key}`);
      });
    },
    async putDepsLayer(key, layer) {
      await putBytes(depsLayerKey(key), encodeDepsLayer(layer), "application/json");
    },
    async getDepsLayer(key) {
      const object = await getObject(depsLayerKey(key));
      if (object?.Body === undefined) return undefined;
      return decodeDepsLayer(await object.Body.transformToByteArray(), key);
    },
    async putAttestation(artifact, envelope) {
      await putBytes(attestationKey(artifact), envelope, "application/vnd.in-toto+json");
    },
    async getAttestation(artifact) {
      const object = await getObject(attestationKey(artifact));
      if (object?.Body === undefined) return undefined;
      return Buffer.from(await object.Body.transformToByteArray());
    },
    async putRecord(key, bytes) {
      await putBytes(recordKey(key), Buffer.from(bytes), "application/octet-stream");
    },
    async getRecord(key) {
      const object = await getObject(recordKey(key));
      if (object?.Body === undefined) return undefined;
      return Buffer.from(await object.Body.transformToByteArray());
    },
    async listRecords(prefix) {
      const keys = await listKeys(recordPrefix(prefix));
      return keys.map((key) => key.slice(RECORDS_FOLDER.length + 1)).sort();
    },
    async deleteRecord(key) {
      await deleteObject(recordKey(key));
    },
    async deleteBlob(digest) {
      await deleteObject(blobKey(digest));
    },
  };
}

/**
 * HeadObject answers a missing key with a bare 404 (NotFound), GetObject with NoSuchKey. A missing bucket is
 * a 404 too, but a misconfiguration to report, not an absent blob (HEAD cannot tell the two apart).
 */
function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    error.name !== "NoSuchBucket" &&
    (error.name === "NotFound" ||
      error.name === "NoSuchKey" ||
      error.name === "NoSuchUpload" ||
      error.$metadata.httpStatusCode === 404)
  );
}

function isPrematureClose(error: Error): boolean {
  return "code" in error && error.code === "ERR_STREAM_PREMATURE_CLOSE";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
