import { Duplex } from "node:stream";
import { crc32, createDeflateRaw, type DeflateRaw } from "node:zlib";

/**
 * Our gzip header: magic, deflate, no flags, mtime 0, XFL 0, OS 255 ("unknown"). zlib's own gzip
 * wrapper writes the host's OS byte, which would make the same archive differ between machines.
 */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

export interface GzipStreamOptions {
  /** Deflate level; 6 matches `gzip -6`, the default of gzip and tar -z. */
  level?: number;
}

/**
 * A gzip compressor whose bytes depend only on its input (and the zlib version): a fixed header,
 * the raw deflate body from zlib (compressed on the thread pool), then CRC32 and size mod 2^32.
 * @example pipeline(tarBytes, createGzipStream(), createWriteStream("layer.tar.gz"))
 */
export function createGzipStream(options: GzipStreamOptions = {}): Duplex {
  return new GzipStream(options.level ?? 6);
}

class GzipStream extends Duplex {
  readonly #deflate: DeflateRaw;
  #crc = 0;
  #size = 0;

  constructor(level: number) {
    super({ writableHighWaterMark: 4 * 1024 * 1024, readableHighWaterMark: 1024 * 1024 });
    // Large output chunks mean fewer round trips between the thread pool and the main thread.
    this.#deflate = createDeflateRaw({ level, chunkSize: 256 * 1024 });
    this.push(GZIP_HEADER);
    this.#deflate.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) this.#deflate.pause();
    });
    this.#deflate.on("end", () => {
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(this.#crc >>> 0, 0);
      trailer.writeUInt32LE(this.#size % 2 ** 32, 4);
      this.push(trailer);
      this.push(null);
    });
    this.#deflate.on("error", (error) => this.destroy(error));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#crc = crc32(chunk, this.#crc);
    this.#size += chunk.length;
    if (this.#deflate.write(chunk)) callback();
    else this.#deflate.once("drain", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#deflate.end();
    callback();
  }

  override _read(): void {
    this.#deflate.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#deflate.destroy();
    callback(error);
  }
}
