import type { Readable } from "node:stream";
import type { Digest } from "../artifact/digest.ts";
import type { ArtifactManifest, LayerDescriptor } from "../artifact/manifest.ts";

/**
 * Where a build came from: the key of the store's index from (repository, commit, app path) to manifest.
 * A monorepo's apps each get their own entry for the same commit.
 */
export interface SourceRef {
  /** `owner/name` */
  repository: string;
  /** Full 40-hex commit SHA. */
  commit: string;
  /**
   * The app's folder inside the repository (`apps/web`); absent or "." for the root. Normalised by the store
   * (`./apps/web/` is `apps/web`); `..`, absolute paths and backslashes are refused (`normalizeAppPath`).
   */
  path?: string;
}

/** How long the build took where it ran (the user's Actions run, or `aether build`), for latency reports. */
export interface BuildTimings {
  /** Detect, build and pack: everything before the upload. */
  buildMs: number;
  uploadMs: number;
}

/** What the build's upload sent, and what the store already had (shared layers, unchanged dependencies). */
export interface BuildBytes {
  uploaded: number;
  reused: number;
}

/** What the index holds for one (repository, commit, path): the artifact, and when and by whom it was built. */
export interface RefRecord {
  digest: Digest;
  /** App path inside the repository, for monorepos ("." for the root): the ref's normalised path. */
  path: string;
  builtAt: string;
  builder: string;
  /** The build's own figures, when the builder recorded them (absent in records from older builders). */
  timings?: BuildTimings;
  bytes?: BuildBytes;
}

export interface PutBlobResult {
  /** False when the store already had the blob and nothing was sent. */
  uploaded: boolean;
  bytes: number;
}

export interface PutBlobOptions {
  /** Called with the bytes sent so far, for progress displays. */
  onProgress?: (bytesSent: number) => void;
}

/**
 * A content-addressed artifact store. Blobs are addressed by digest and never overwritten; a blob is
 * either wholly visible or not at all; downloads are verified before use.
 * Implementations: the folder store (`file://`) and S3 (`s3://`); open one by URL with `openStore`.
 */
export interface ArtifactStore {
  /** The store's URL as shown to users (never with credentials). */
  readonly url: string;
  hasBlob(digest: Digest): Promise<boolean>;
  /** Uploads the file at `path` whose content has `digest`, unless the store has it already. */
  putBlob(digest: Digest, path: string, options?: PutBlobOptions): Promise<PutBlobResult>;
  /**
   * Downloads a blob to `destination`, verifying its digest; the file appears only when it matched.
   * Throws `BlobNotFoundError` or `CorruptBlobError`.
   */
  fetchBlob(digest: Digest, destination: string): Promise<void>;
  /** Streams a blob without verification, for callers that verify as they consume. */
  openBlob(digest: Digest): Promise<Readable>;
  /** Stores the manifest's canonical bytes as a blob and returns the artifact digest. */
  putManifest(manifest: ArtifactManifest): Promise<{ digest: Digest; uploaded: boolean }>;
  /** Reads and verifies a manifest by artifact digest. */
  getManifest(digest: Digest): Promise<ArtifactManifest>;
  putRef(ref: SourceRef, record: RefRecord): Promise<void>;
  getRef(ref: SourceRef): Promise<RefRecord | undefined>;
  /**
   * The dependency-layer index: which layer a deps key (hash of lockfile, runtime, command, platform)
   * produced, so a build on another machine (a fresh CI runner) reuses it without installing anything.
   */
  putDepsLayer(key: string, layer: LayerDescriptor): Promise<void>;
  getDepsLayer(key: string): Promise<LayerDescriptor | undefined>;
  /**
   * The signed provenance of an artifact (a DSSE envelope as one JSON line), kept beside it by artifact
   * digest; it cannot live in the manifest, whose digest it signs. A newer attestation replaces an older.
   */
  putAttestation(artifact: Digest, envelope: Buffer): Promise<void>;
  getAttestation(artifact: Digest): Promise<Buffer | undefined>;
  /**
   * Small mutable records by key (`backups/<database>/<time>.json`): written whole or not at all, replaced
   * by the next put, visible to everyone sharing the store (a team on one S3 bucket sees one backup index).
   * Keys are `/`-separated segments of letters, digits, `.`, `_` and `-` (see `recordKey`). No locking:
   * callers give each writer its own key rather than rewriting a shared one.
   */
  putRecord(key: string, bytes: Uint8Array): Promise<void>;
  getRecord(key: string): Promise<Buffer | undefined>;
  /** Keys of the records starting with `prefix` (a key prefix, not only a folder), sorted. */
  listRecords(prefix: string): Promise<string[]>;
  /** Removes a record; nothing happens when there is none. */
  deleteRecord(key: string): Promise<void>;
  /**
   * Removes a blob, for retention (expired backups). Blobs are shared by content: the caller must know that
   * nothing else refers to this digest. Nothing happens when there is none.
   */
  deleteBlob(digest: Digest): Promise<void>;
}

export class BlobNotFoundError extends Error {
  readonly digest: Digest;
  constructor(digest: Digest, storeUrl: string) {
    super(`${storeUrl}: no blob ${digest}`);
    this.name = "BlobNotFoundError";
    this.digest = digest;
  }
}

export class CorruptBlobError extends Error {
  readonly digest: Digest;
  constructor(digest: Digest, actual: Digest, storeUrl: string) {
    super(
      `${storeUrl}: blob ${digest} is corrupt (its content hashes to ${actual}); it was not used. ` +
        `Rebuild and upload it again, or remove it from the store.`,
    );
    this.name = "CorruptBlobError";
    this.digest = digest;
  }
}
