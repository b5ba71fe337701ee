import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { BLOCK_SIZE, paddingFor, tarHeader, type TarHeaderInput } from "./tar-header.ts";

/** Takes one chunk of archive bytes; returns a promise only when the consumer wants the writer to wait. */
export type TarChunkSink = (chunk: Buffer) => Promise<void> | undefined;

export interface TarWriterOptions {
  /** Seconds since 1970 stamped on every entry. */
  epoch: number;
  write: TarChunkSink;
  /** Bytes per chunk handed to `write`; a multiple of 512. */
  chunkSize?: number;
}

/** Dirs 0755; files 0755 when any execute bit is set, else 0644; symlinks 0777. */
export function normalizeMode(kind: TarHeaderInput["kind"], mode: number): number {
  if (kind === "directory") return 0o755;
  if (kind === "symlink") return 0o777;
  return mode & 0o111 ? 0o755 : 0o644;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * A streaming ustar/PAX writer with normalised metadata (owner 0, fixed time, normalised modes), so the
 * bytes depend only on paths, kinds, execute bits, link targets and contents.
 *
 * Archive bytes are gathered into fixed-size chunks and file contents are read straight into them with
 * synchronous reads: a tree like node_modules has thousands of small files, and a thread-pool round trip
 * per open/read/close costs more than the reads themselves. The caller's sink sees one chunk per
 * `chunkSize` bytes and applies backpressure by returning a promise.
 */
export class TarWriter {
  /** Entries written so far. */
  entries = 0;
  /** File content bytes read so far. */
  bytesIn = 0;
  readonly #epoch: number;
  readonly #write: TarChunkSink;
  readonly #chunkSize: number;
  #buffer: Buffer;
  #pos = 0;
  #finished = false;

  constructor(options: TarWriterOptions) {
    this.#epoch = options.epoch;
    this.#write = options.write;
    this.#chunkSize = options.chunkSize ?? 1024 * 1024;
    if (this.#chunkSize <= 0 || this.#chunkSize % BLOCK_SIZE !== 0) {
      throw new RangeError(`TarWriter: chunkSize ${this.#chunkSize} is not a positive multiple of 512`);
    }
    this.#buffer = Buffer.allocUnsafe(this.#chunkSize);
  }

  /** Adds a folder entry (`path` without a trailing slash). */
  async addDirectory(path: string): Promise<void> {
    await this.#header({ path, kind: "directory", mode: 0o755, size: 0, linkTarget: "" });
  }

  /** Adds a symbolic link to `target`, stored as written (the caller decides whether it is safe). */
  async addSymlink(path: string, target: string): Promise<void> {
    await this.#header({ path, kind: "symlink", mode: 0o777, size: 0, linkTarget: target });
  }

  /**
   * Adds the regular file at `source` (symlinks are not followed) under `path`, streaming its contents.
   * A hard link is read like any file, so it is stored as a regular file.
   */
  async addFile(path: string, source: string): Promise<void> {
    const fd = openSync(source, READ_FLAGS);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new Error(`${source} stopped being a regular file while it was being packed`);
      const size = stat.size;
      await this.#header({
        path,
        kind: "file",
        mode: normalizeMode("file", stat.mode),
        size,
        linkTarget: "",
      });
      let left = size;
      while (left > 0) {
        const room = this.#buffer.length - this.#pos;
        const read = readSync(fd, this.#buffer, this.#pos, Math.min(room, left), null);
        if (read === 0) {
          throw new Error(
            `${source} shrank while it was being packed (expected ${size} bytes); ` +
              `stop whatever is writing to it and pack again`,
          );
        }
        this.#pos += read;
        left -= read;
        this.bytesIn += read;
        if (this.#pos === this.#buffer.length) await this.#emit();
      }
      this.#zeros(paddingFor(size));
    } finally {
      closeSync(fd);
    }
  }

  /** Adds a file whose contents are in memory (small generated files, tests). */
  async addBytes(path: string, bytes: Buffer, mode: number): Promise<void> {
    const size = bytes.length;
    await this.#header({ path, kind: "file", mode: normalizeMode("file", mode), size, linkTarget: "" });
    await this.#put(bytes);
    this.bytesIn += size;
    this.#zeros(paddingFor(size));
  }

  /** Writes the two zero blocks that end an archive and hands over the last, partial chunk. */
  async finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    await this.#put(Buffer.alloc(2 * BLOCK_SIZE));
    if (this.#pos > 0) {
      const last = this.#buffer.subarray(0, this.#pos);
      this.#pos = 0;
      const wait = this.#write(last);
      if (wait) await wait;
    }
  }

  async #header(entry: Omit<TarHeaderInput, "mtime">): Promise<void> {
    if (this.#finished) throw new Error(`TarWriter: ${entry.path} added after finish()`);
    await this.#put(tarHeader({ ...entry, mtime: this.#epoch }));
    this.entries++;
  }

  async #put(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const copied = bytes.copy(this.#buffer, this.#pos, offset);
      this.#pos += copied;
      offset += copied;
      if (this.#pos === this.#buffer.length) await this.#emit();
    }
  }

  // Padding never crosses a chunk end: chunks and records are both whole blocks.
  #zeros(count: number): void {
    this.#buffer.fill(0, this.#pos, this.#pos + count);
    this.#pos += count;
  }

  async #emit(): Promise<void> {
    const full = this.#buffer;
    // The sink may hold on to the chunk (zlib queues it), so each chunk gets fresh memory.
    this.#buffer = Buffer.allocUnsafe(this.#chunkSize);
    this.#pos = 0;
    const wait = this.#write(full);
    if (wait) await wait;
  }
}
