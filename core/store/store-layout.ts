import { isDigest, type Digest } from "../artifact/digest.ts";
import type { SourceRef } from "./store.ts";

/*
 * The layout every store uses, relative to its root (a folder, or an S3 bucket and prefix):
 *
 *   blobs/sha256/<hex>                     layers and manifests, named by the sha256 of their bytes;
 *                                          a manifest is stored as `encodeManifest`'s canonical bytes,
 *                                          so its key is the artifact digest
 *   refs/<owner>/<name>/<commit>.json      the (repository, commit) index of the app at the repository's root:
 *                                          a RefRecord as canonical JSON
 *   refs/<owner>/<name>/<commit>/<path>.json  the same for an app in a folder (a monorepo's `apps/web`), the
 *                                          path percent-encoded into one segment (`apps%2fweb`, see
 *                                          `appPathSegment`), so no two paths share a key
 *   index/deps/<key>.json                  the dependency-layer index: deps key → layer descriptor
 *   attestations/sha256/<hex>.intoto.jsonl the artifact's signed provenance (DSSE envelope, one line)
 *   records/<key>                          small mutable records (putRecord): the backup index
 *   tmp/                                   folder store only: files being written, renamed into place
 *                                          when complete (so never visible half-written)
 *
 * Keys are built only from validated parts (a digest's hex, GitHub's owner and name characters, a 40-hex
 * commit, an encoded app path), so no key can climb out of the store's root or prefix. Repository and commit are lowercased:
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
 * The key of a ref: `refs/<owner>/<name>/<commit>.json` for the app at the repository's root (the layout
 * stores had before monorepos, so their records still resolve), `refs/<owner>/<name>/<commit>/<segment>.json`
 * for an app in a folder. Throws `InvalidSourceRefError` when repository, commit or path is malformed.
 * @example refKey({ repository: "octo-org/web", commit: "3f2a…(40 hex)", path: "apps/api" })
 *   // "refs/octo-org/web/3f2a….json" without a path; ".../3f2a…/apps%2fapi.json" with it
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
  const base = `refs/${owner.toLowerCase()}/${name.toLowerCase()}/${ref.commit.toLowerCase()}`;
  const path = normalizeAppPath(ref.path);
  return path === "." ? `${base}.json` : `${base}/${appPathSegment(path)}.json`;
}

// A file name is at most 255 bytes on common file systems; leave room for ".json" and the temp suffix.
const MAX_SEGMENT = 200;

/**
 * An app's folder inside a repository in one canonical form: `/`-separated, without `.` or empty parts or a
 * trailing slash; "." for the root (also for undefined or ""). Throws `InvalidSourceRefError` for a path that
 * is absolute, climbs out with `..`, or uses backslashes or control characters.
 * @example normalizeAppPath("./apps//web/") // "apps/web"
 */
export function normalizeAppPath(path: string | undefined): string {
  if (path === undefined || path === "") return ".";
  const refuse = (why: string): never => {
    throw new InvalidSourceRefError(
      `app path ${JSON.stringify(path)} ${why}; give the app's folder relative to the repository root, ` +
        `with forward slashes, e.g. apps/web`,
    );
  };
  if (path.includes("\\")) refuse("contains a backslash");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) refuse("contains a control character");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) refuse("is absolute");
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) refuse("climbs out of the repository with '..'");
  return parts.length === 0 ? "." : parts.join("/");
}

/**
 * A normalised app path as one key segment: every byte of its UTF-8 form other than a lowercase letter,
 * digit, '.', '_' or '-' becomes `%` and two lowercase hex digits. The encoding is one-to-one and its output
 * has no capitals, so two paths never share a key, even in a folder store on a case-insensitive disk.
 * @example appPathSegment("apps/Web") // "apps%2f%57eb"
 */
export function appPathSegment(path: string): string {
  let segment = "";
  for (const byte of Buffer.from(path, "utf8")) {
    const char = String.fromCharCode(byte);
    segment += /[a-z0-9._-]/.test(char) ? char : `%${byte.toString(16).padStart(2, "0")}`;
  }
  if (segment.length > MAX_SEGMENT) {
    throw new InvalidSourceRefError(
      `app path ${JSON.stringify(path)} is too long for the store's index (${segment.length} characters ` +
        `encoded, at most ${MAX_SEGMENT}); move the app to a shorter folder`,
    );
  }
  return segment;
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
