import { createHash } from "node:crypto";

/** A content address: the lowercase hex SHA-256 of some bytes, prefixed as OCI does. */
export type Digest = `sha256:${string}`;

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** True when `value` is a well-formed `sha256:<64 hex>` digest. */
export function isDigest(value: string): value is Digest {
  return DIGEST_PATTERN.test(value);
}

/**
 * Parses a digest that came from outside (a flag, a file, a store key), with an error that says where.
 * @example parseDigest("sha256:ab…", "--artifact")
 */
export function parseDigest(value: string, where: string): Digest {
  if (!isDigest(value)) {
    throw new Error(
      `${where}: "${value}" is not a sha256 digest (expected sha256: followed by 64 hex digits)`,
    );
  }
  return value;
}

/** The digest of bytes held in memory (manifests, small records). */
export function digestOf(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** `sha256:5e1c…a9f0`: short enough for a table cell, long enough to tell two apart. */
export function shortDigest(digest: Digest): string {
  const hex = digest.slice("sha256:".length);
  return `sha256:${hex.slice(0, 4)}…${hex.slice(-4)}`;
}
