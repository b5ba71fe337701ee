import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DigestCheck, type ExpectedDigest } from "./digest-check.ts";

/**
 * Writes a stream to `destination` so that the file appears whole or not at all: the bytes go to a
 * temporary file in `tempDir` (which must be on the destination's filesystem), are checked against
 * `expected`, flushed to disk, and renamed into place. On any failure the temporary file is removed.
 * @returns the number of bytes written
 */
export async function writeFileAtomic(request: {
  source: Readable;
  destination: string;
  tempDir: string;
  expected: ExpectedDigest;
  onProgress?: (bytes: number) => void;
}): Promise<number> {
  const { source, destination, tempDir } = request;
  const temp = join(tempDir, `.${basename(destination)}.${randomUUID()}.tmp`);
  const check = new DigestCheck(
    request.onProgress === undefined
      ? { expected: request.expected }
      : { expected: request.expected, onProgress: request.onProgress },
  );
  // Until the pipeline takes over, keep an early source error (a file that cannot be opened) from being
  // unhandled; the stream remembers it and the pipeline rejects with it.
  const holdError = (): void => undefined;
  source.on("error", holdError);
  try {
    await mkdir(tempDir, { recursive: true });
    await mkdir(dirname(destination), { recursive: true });
    // `flush` fsyncs before close, so the rename never publishes a name whose bytes are still in a cache.
    const writing = pipeline(
      source,
      check,
      createWriteStream(temp, { flags: "wx", mode: 0o644, flush: true }),
    );
    source.off("error", holdError);
    await writing;
    await rename(temp, destination);
  } catch (error) {
    source.off("error", holdError);
    source.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(dirname(destination));
  return check.bytes;
}

/** Makes a rename durable. Some platforms cannot open a folder for fsync; there it is skipped. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r").catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
