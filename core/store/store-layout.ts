import { isDigest, type Digest } from "../artifact/digest.ts";
import type { SourceRef } from "./store.ts";

/*
 * The layout every store uses, relative to its root (a folder, or an S3 bucket and prefix):
 *
 *   blobs/sha256/<hex>                     layers and manifests, named by the sha256 of their bytes;
 *                                          a manifest is stored as `encodeManifest`'s canonical bytes,
 *                                          so its key is the artifact digest
 *   refs/<owner>/<name>/<commit>.json      the (repository, commit) index: a RefRecord as canonical JSON
 *   index/deps/<key>.json                  the dependency-layer index: deps key → layer descriptor
 *   attestations/sha256/<hex>.intoto.jsonl the artifact's signed provenance (DSSE envelope, one line)
 *   records/<key>                          small mutable records (putRecord): the backup index
 *   tmp/                                   folder store only: files being written, renamed into place
 *                                          when complete (so never visible half-written)
 *
 * Keys are built only from validated parts (a digest's hex, GitHub's owner and name characters, a 40-hex
 * commit), so no key can climb out of the store's root or prefix. Repository and commit are lowercased:
 * GitHub treats `Octo/Web` and `octo/web` as one repository, and the index should too.
 */

export const TEMP_FOLDER = "tmp";

/** `blobs/sha256/<hex>` for a digest; refuses a malformed one (the type alone admits `sha256:../..`). */
export function blobKey(digest: Digest): string {
  if (!isDigest(digest)) {
    throw new Error(
      `"${digest}" is not a sha256 digest (expected sha256: followed by 64 lowercase hex digits)`,
    );
  }
  return `blobs/sha256/${digest.slice("sha256:".length)}`;
}

export class InvalidSourceRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSourceRefError";
  }
}

// GitHub: an owner is 1-39 letters, digits or hyphens, not starting with a hyphen; a repository name is
// 1-100 letters, digits, '.', '-' or '_', and never "." or "..".
const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
const COMMIT_PATTERN = /^[0-9a-fA-F]{40}$/;

/**
 * `refs/<owner>/<name>/<commit>.json` for a (repository, commit); throws `InvalidSourceRefError` when either
 * is malformed.
 * @example refKey({ repository: "octo-org/web", commit: "3f2a…(40 hex)" })
 */
export function refKey(ref: SourceRef): string {
  const parts = ref.repository.split("/");
  const [owner, name] = parts;
  if (
    parts.length !== 2 ||
    owner === undefined ||
    name === undefined ||
    !OWNER_PATTERN.test(owner) ||
    !NAME_PATTERN.test(name) ||
    name === "." ||
    name === ".."
  ) {
    throw new InvalidSourceRefError(
      `repository ${JSON.stringify(ref.repository)} is not a GitHub owner/name ` +
        `(owner: letters, digits and hyphens; name: letters, digits, '.', '-' and '_'), e.g. octo-org/web`,
    );
  }
  if (!COMMIT_PATTERN.test(ref.commit)) {
    throw new InvalidSourceRefError(
      `commit ${JSON.stringify(ref.commit)} of ${ref.repository} is not a full commit SHA ` +
        `(40 hex digits); pass the full SHA, e.g. from \`git rev-parse HEAD\``,
    );
  }
  return `refs/${owner.toLowerCase()}/${name.toLowerCase()}/${ref.commit.toLowerCase()}.json`;
}

/** `index/deps/<key>.json` for a dependency-layer key (64 hex). */
export function depsLayerKey(key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key))
    throw new Error(`"${key}" is not a dependency-layer key (64 lowercase hex digits)`);
  return `index/deps/${key}.json`;
}

/** `attestations/sha256/<hex>.intoto.jsonl` for an artifact digest. */
export function attestationKey(artifact: Digest): string {
  return `attestations/sha256/${blobKey(artifact).slice("blobs/sha256/".length)}.intoto.jsonl`;
}

export const RECORDS_FOLDER = "records";
const RECORD_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * `records/<key>` for a record key: `/`-separated segments of letters, digits, `.`, `_`, `-`, none empty
 * or starting with `.`, so a key can neither climb out of `records/` nor collide with the store's temp files.
 * @example recordKey("backups/shop/20300101T000000Z.json") // "records/backups/shop/20300101T000000Z.json"
 */
export function recordKey(key: string): string {
  const segments = key.split("/");
  if (key.length > 1024 || !segments.every((segment) => RECORD_SEGMENT.test(segment))) {
    throw new Error(
      `"${key}" is not a record key: use /-separated parts of letters, digits, '.', '_' and '-', ` +
        `none empty or starting with '.'`,
    );
  }
  return `${RECORDS_FOLDER}/${key}`;
}

/**
 * `records/<prefix>` for a listing prefix: like a key, except that it may be empty or end in `/` or in a
 * partial segment (`backups/sh` lists `backups/shop/…`).
 */
export function recordPrefix(prefix: string): string {
  if (prefix === "") return `${RECORDS_FOLDER}/`;
  const trimmed = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return `${recordKey(trimmed)}${prefix.endsWith("/") ? "/" : ""}`;
}
