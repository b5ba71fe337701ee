import { digestOf, type Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { decodeManifest } from "../artifact/manifest-codec.ts";
import { CorruptBlobError } from "./store.ts";

/** Manifests are a few kilobytes; anything this big is a layer's digest passed as an artifact's. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Refuses to read a blob as a manifest when it is far too big to be one. */
export function assertManifestSize(request: { size: number; digest: Digest; storeUrl: string }): void {
  if (request.size > MAX_MANIFEST_BYTES) {
    throw new Error(
      `${request.storeUrl}: blob ${request.digest} is ${request.size} bytes, too big for a manifest ` +
        `(at most ${MAX_MANIFEST_BYTES}); check that it is an artifact digest, not a layer digest`,
    );
  }
}

/** Verifies a manifest blob's bytes against its digest, then decodes it. Throws `CorruptBlobError`. */
export function decodeStoredManifest(request: {
  bytes: Uint8Array;
  digest: Digest;
  storeUrl: string;
}): ArtifactManifest {
  const { bytes, digest, storeUrl } = request;
  assertManifestSize({ size: bytes.length, digest, storeUrl });
  const actual = digestOf(bytes);
  if (actual !== digest) throw new CorruptBlobError(digest, actual, storeUrl);
  return decodeManifest(bytes, `${storeUrl} manifest ${digest}`);
}
