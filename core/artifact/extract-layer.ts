import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { Digest } from "./digest.ts";
import { errorCode } from "./error-code.ts";
import { ExtractSink, UnsafeLayerEntryError } from "./extract-sink.ts";
import { TarFormatError } from "./tar-header.ts";
import { hashingStream } from "../util/hashing-stream.ts";

export { UnsafeLayerEntryError } from "./extract-sink.ts";

/** The layer's bytes are not what its digest promised, or not a readable tar.gz. Nothing was kept. */
export class CorruptLayerError extends Error {
  readonly expected: Digest;
  /** The digest of what was read, when the stream could be read to the end. */
  readonly actual: Digest | undefined;
  constructor(request: {
    expected: Digest;
    actual?: Digest;
    destination: string;
    detail: string;
    cause?: unknown;
  }) {
    super(
      `layer ${request.expected} is corrupt (${request.detail}); nothing was extracted to ${request.destination}. ` +
        `Rebuild the artifact, or remove the blob from the store so it is uploaded again.`,
      request.cause === undefined ? undefined : { cause: request.cause },
    );
    this.name = "CorruptLayerError";
    this.expected = request.expected;
    this.actual = request.actual;
  }
}

export interface ExtractLayerRequest {
  /** The compressed layer, as stored. */
  source: Readable;
  /** A folder that must not exist yet; it appears with the layer's contents, or not at all. */
  destination: string;
  /** The digest the compressed bytes must have. */
  expectedDigest: Digest;
}

export interface ExtractedLayer {
  entries: number;
  /** Compressed bytes read. */
  bytes: number;
}

/**
 * Unpacks one tar.gz layer into a new folder while hashing the compressed stream. Refuses, and removes
 * everything it wrote (leaving `destination` absent), when the digest differs (`CorruptLayerError`) or an
 * entry would escape the folder: absolute paths, "..", symlinks leading outside, writes through a
 * symlink (`UnsafeLayerEntryError`). Restores folders, symlinks and file modes.
 * @example await extractLayer({ source: await store.openBlob(d), destination: "releases/x/0", expectedDigest: d })
 */
export async function extractLayer(request: ExtractLayerRequest): Promise<ExtractedLayer> {
  const destination = resolve(request.destination);
  const expected = request.expectedDigest;
  await mkdir(dirname(destination), { recursive: true });
  try {
    await mkdir(destination);
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    throw new Error(
      `${destination} already exists; a layer is extracted into a new folder. Remove it or choose another.`,
      { cause: error },
    );
  }
  const tap = hashingStream();
  const sink = new ExtractSink(destination);
  try {
    await pipeline(request.source, tap.stream, createGunzip({ chunkSize: 256 * 1024 }), sink);
    const actual = tap.digest();
    if (actual !== expected) {
      throw new CorruptLayerError({ expected, actual, destination, detail: `its bytes hash to ${actual}` });
    }
    sink.complete();
    return { entries: sink.entries, bytes: tap.bytes() };
  } catch (error) {
    await rm(destination, { recursive: true, force: true });
    if (error instanceof UnsafeLayerEntryError || error instanceof CorruptLayerError) throw error;
    if (error instanceof TarFormatError || isZlibError(error)) {
      throw new CorruptLayerError({ expected, destination, detail: messageOf(error), cause: error });
    }
    throw new Error(`extracting layer ${expected} into ${destination} failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

function isZlibError(error: unknown): boolean {
  return errorCode(error)?.startsWith("Z_") === true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
