import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type S3TestServer } from "../../test/support/s3-server.ts";
import { digestOf } from "../artifact/digest.ts";
import { encodeManifest } from "../artifact/manifest-codec.ts";
import { artifactStoreContract, sampleManifest, writeBlobFile } from "./artifact-store-contract.ts";
import { recordStoreContract } from "./record-store-contract.ts";
import { BlobSourceMismatchError } from "./blob-source-mismatch-error.ts";
import { openStore } from "./open-store.ts";
import { s3ClientConfig } from "./s3-client-config.ts";
import { PART_SIZE, createS3Store } from "./s3-store.ts";
import { CorruptBlobError } from "./store.ts";

let s3: S3TestServer;
let client: S3Client;
const temps: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  client = new S3Client(s3ClientConfig({ env: envFor(s3), pathStyle: undefined }));
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
});
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

function envFor(server: S3TestServer): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
  };
}

/** A fresh prefix in the shared bucket, so every test starts with an empty store. */
async function setup() {
  const scratch = await mkdtemp(join(tmpdir(), "aether-s3-store-"));
  temps.push(scratch);
  const prefix = `t-${randomUUID()}`;
  const writeRaw = async (key: string, bytes: Buffer) => {
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${key}`, Body: bytes }));
  };
  return { store: createS3Store({ bucket: s3.bucket, prefix, client }), scratch, prefix, writeRaw };
}

const hexOf = (digest: string): string => digest.slice("sha256:".length);

async function pendingUploads(): Promise<string[]> {
  const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
  return (listed.Uploads ?? []).map((upload) => upload.Key ?? "");
}

describe("createS3Store against s3rver", () => {
  describe("the ArtifactStore contract", () => {
    artifactStoreContract(setup);
  });

  describe("records and blob deletion", () => {
    recordStoreContract(setup);
  });

  it("names itself s3://bucket/prefix and keeps blobs and refs under the prefix", async () => {
    const { store, scratch, prefix } = await setup();
    expect(store.url).toBe(`s3://${s3.bucket}/${prefix}`);
    const { digest } = await store.putManifest(sampleManifest());
    const object = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/blobs/sha256/${hexOf(digest)}` }),
    );
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(encodeManifest(sampleManifest()));
    await store.putRef(
      { repository: "octo/web", commit: "c".repeat(40) },
      {
        digest,
        path: ".",
        builtAt: "t",
        builder: "b",
      },
    );
    const ref = await client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/refs/octo/web/${"c".repeat(40)}.json` }),
    );
    expect(ref.ContentLength).toBeGreaterThan(0);
    expect(await readdir(scratch)).toEqual([]);
  });

  it("does not send a blob the bucket already has", async () => {
    const { store, scratch, prefix } = await setup();
    const blob = await writeBlobFile(scratch, "layer.tgz", 1000);
    await store.putBlob(blob.digest, blob.path);
    const key = `${prefix}/blobs/sha256/${hexOf(blob.digest)}`;
    const before = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    const progress: number[] = [];
    const again = await store.putBlob(blob.digest, blob.path, { onProgress: (n) => progress.push(n) });
    expect(again).toEqual({ uploaded: false, bytes: 1000 });
    expect(progress).toEqual([]);
    const after = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);
  });

  it("sends a 20 MiB blob as a multipart upload and fetches it back whole", async () => {
    const { store, scratch } = await setup();
    const blob = await writeBlobFile(scratch, "big.tgz", 20 * 1024 * 1024);
    const progress: number[] = [];
    const put = await store.putBlob(blob.digest, blob.path, { onProgress: (n) => progress.push(n) });
    expect(put).toEqual({ uploaded: true, bytes: blob.bytes.length });
    // One report per part as each completes (a single PutObject reports once): 3 parts of at most 8 MiB.
    expect(progress).toHaveLength(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[0]).toBeLessThanOrEqual(PART_SIZE);
    expect(progress.at(-1)).toBe(blob.bytes.length);
    expect(await pendingUploads()).toEqual([]);
    const destination = join(scratch, "fetched.tgz");
    await store.fetchBlob(blob.digest, destination);
    expect(digestOf(await readFile(destination))).toBe(blob.digest);
  });

  it("detects an object overwritten in the bucket, and never creates the destination", async () => {
    const { store, scratch, prefix } = await setup();
    const blob = await writeBlobFile(scratch, "layer.tgz", 100_000);
    await store.putBlob(blob.digest, blob.path);
    const tampered = Buffer.from(blob.bytes);
    tampered[0] = (tampered[0] ?? 0) ^ 0xff;
    await client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: `${prefix}/blobs/sha256/${hexOf(blob.digest)}`,
        Body: tampered,
      }),
    );
    const out = join(scratch, "out");
    await mkdir(out);
    const error = await store.fetchBlob(blob.digest, join(out, "layer.tgz")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptBlobError);
    expect(String(error)).toContain(`s3://${s3.bucket}/${prefix}`);
    expect(await readdir(out)).toEqual([]);
  });

  it("detects a tampered manifest", async () => {
    const { store, prefix } = await setup();
    const { digest } = await store.putManifest(sampleManifest());
    await client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: `${prefix}/blobs/sha256/${hexOf(digest)}`,
        Body: encodeManifest(sampleManifest("evil.js")),
      }),
    );
    await expect(store.getManifest(digest)).rejects.toBeInstanceOf(CorruptBlobError);
  });

  it("leaves no object and no pending upload when the source is cut short mid-upload", async () => {
    const { store, scratch, prefix } = await setup();
    const full = Buffer.alloc(20 * 1024 * 1024, 1);
    const digest = digestOf(full);
    const fifo = join(scratch, "source.fifo");
    execFileSync("mkfifo", [fifo]);
    let partsDone!: () => void;
    const firstPart = new Promise<void>((resolve) => (partsDone = resolve));
    const putting = store
      .putBlob(digest, fifo, { onProgress: () => partsDone() })
      .catch((error: unknown) => error);
    const writer = createWriteStream(fifo);
    writer.write(full.subarray(0, PART_SIZE + 1024 * 1024));
    // The first part is in the bucket, as part of a multipart upload that is not complete.
    await firstPart;
    expect(await pendingUploads()).toEqual([`${prefix}/blobs/sha256/${hexOf(digest)}`]);
    writer.end();
    const error = await putting;
    expect(error).toBeInstanceOf(BlobSourceMismatchError);
    expect(await store.hasBlob(digest)).toBe(false);
    await expect(
      client.send(
        new HeadObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/blobs/sha256/${hexOf(digest)}` }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(await pendingUploads()).toEqual([]);
  });

  it("says so when the server cannot abort the unfinished upload (plain s3rver cannot)", async () => {
    const plain = await startS3Server({ bucket: "plain", abortAndListUploads: false });
    const plainClient = new S3Client(s3ClientConfig({ env: envFor(plain), pathStyle: undefined }));
    try {
      const { scratch } = await setup();
      const store = createS3Store({ bucket: plain.bucket, prefix: "p", client: plainClient });
      const full = Buffer.alloc(PART_SIZE + 1024 * 1024, 2);
      const fifo = join(scratch, "source.fifo");
      execFileSync("mkfifo", [fifo]);
      let partDone!: () => void;
      const firstPart = new Promise<void>((resolve) => (partDone = resolve));
      const putting = store
        .putBlob(digestOf(full), fifo, { onProgress: () => partDone() })
        .catch((error: unknown) => error);
      const writer = createWriteStream(fifo);
      writer.write(full.subarray(0, PART_SIZE + 1024));
      await firstPart;
      writer.end();
      const error = await putting;
      expect(String(error)).toMatch(/content hashes to sha256:[0-9a-f]{64}, not /);
      expect(String(error)).toMatch(
        /the unfinished multipart upload [0-9a-f]{32} of p\/blobs\/sha256\/[0-9a-f]{64} could not be aborted \(MethodNotAllowed/,
      );
      expect(await store.hasBlob(digestOf(full))).toBe(false);
    } finally {
      plainClient.destroy();
      await plain.stop();
    }
  });

  it("reports a missing bucket instead of an empty store", async () => {
    const store = createS3Store({ bucket: "no-such-bucket", prefix: "", client });
    expect(store.url).toBe("s3://no-such-bucket");
    const ref = { repository: "octo/web", commit: "d".repeat(40) };
    await expect(store.getRef(ref)).rejects.toThrow(
      /^s3:\/\/no-such-bucket: GetObject refs\/octo\/web\/d{40}\.json failed: NoSuchBucket/,
    );
    await expect(store.openBlob(digestOf("x"))).rejects.toThrow(/NoSuchBucket/);
  });

  it("reports an unreachable endpoint with the store URL and the operation", async () => {
    const down = new S3Client({
      ...s3ClientConfig({
        env: { ...envFor(s3), AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9" },
        pathStyle: undefined,
      }),
      maxAttempts: 1,
    });
    try {
      const store = createS3Store({ bucket: s3.bucket, prefix: "p", client: down });
      await expect(store.hasBlob(digestOf("x"))).rejects.toThrow(
        /^s3:\/\/aether-test\/p: HeadObject p\/blobs\/sha256\/[0-9a-f]{64} failed/,
      );
    } finally {
      down.destroy();
    }
  });

  it("is what openStore opens for an s3:// URL with the endpoint and credentials in env", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "aether-s3-open-"));
    temps.push(scratch);
    const store = openStore(`s3://${s3.bucket}/opened/`, { cwd: scratch, env: envFor(s3) });
    expect(store.url).toBe(`s3://${s3.bucket}/opened`);
    const blob = await writeBlobFile(scratch, "layer.tgz", 5000);
    expect((await store.putBlob(blob.digest, blob.path)).uploaded).toBe(true);
    const head = await client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `opened/blobs/sha256/${hexOf(blob.digest)}` }),
    );
    expect(head.ContentLength).toBe(5000);
    const destination = join(scratch, "back");
    await store.fetchBlob(blob.digest, destination);
    expect(await readFile(destination)).toEqual(blob.bytes);
  });
});
