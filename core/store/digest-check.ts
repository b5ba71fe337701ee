import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import type { Digest } from "../artifact/digest.ts";

/** What a DigestCheck insists on: the digest the bytes must have, and the error to fail with otherwise. */
export interface ExpectedDigest {
  digest: Digest;
  mismatch: (actual: Digest) => Error;
}

/**
 * A pass-through stream that hashes its bytes and fails with `expected.mismatch(actual)` at the end when
 * they do not hash to `expected.digest`. The error comes instead of the stream's end, so a consumer that
 * commits only on a clean end (a rename, a CompleteMultipartUpload) never commits wrong bytes.
 * @example pipeline(createReadStream(file), new DigestCheck({ expected }), output)
 */
export class DigestCheck extends Transform {
  /** Bytes passed through so far. */
  bytes = 0;
  readonly #hash: Hash = createHash("sha256");
  readonly #expected: ExpectedDigest;
  readonly #onProgress: ((bytes: number) => void) | undefined;

  constructor(options: { expected: ExpectedDigest; onProgress?: (bytes: number) => void }) {
    super();
    this.#expected = options.expected;
    this.#onProgress = options.onProgress;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    this.#onProgress?.(this.bytes);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual: Digest = `sha256:${this.#hash.digest("hex")}`;
    callback(actual === this.#expected.digest ? null : this.#expected.mismatch(actual));
  }
}
