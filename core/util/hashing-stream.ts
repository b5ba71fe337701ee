import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type { Digest } from "../artifact/digest.ts";

/**
 * A pass-through stream that hashes and counts what flows through it: how a blob is addressed while it is
 * written or read, without a second pass over the bytes.
 * @example const tap = hashingStream(); await pipeline(source, tap.stream, sink); tap.digest()
 */
export function hashingStream(): { stream: Transform; digest: () => Digest; bytes: () => number } {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => `sha256:${hash.digest("hex")}`, bytes: () => bytes };
}
