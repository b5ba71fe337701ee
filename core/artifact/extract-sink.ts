import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  symlinkSync,
  writeSync,
} from "node:fs";
import { posix } from "node:path";
import { Writable } from "node:stream";
import { errorCode } from "./error-code.ts";
import { symlinkEscape } from "./symlink-escape.ts";
import { TarReader, type TarEntry, type TarEvent } from "./tar-reader.ts";

/** A layer entry would land outside the destination, or write through a link. Nothing is kept. */
export class UnsafeLayerEntryError extends Error {
  readonly path: string;
  constructor(path: string, why: string) {
    super(`layer entry "${path}" ${why}; the layer was refused and nothing was extracted`);
    this.name = "UnsafeLayerEntryError";
    this.path = path;
  }
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes the entries of a tar stream under `root` (an existing, empty folder that this sink owns).
 * Every path is checked before it is touched: no absolute paths, no "..", nothing through a symlink the
 * archive made, no replacing an existing entry. Call `complete()` after the stream finished, to check
 * symlinks against the finished tree and set folder modes. File I/O is synchronous for the same reason as
 * in the packer: per-file thread-pool round trips dominate on trees of many small files.
 */
export class ExtractSink extends Writable {
  /** Entries written so far. */
  entries = 0;
  readonly #root: string;
  readonly #reader = new TarReader();
  readonly #folders = new Map<string, number | undefined>([["", undefined]]);
  readonly #links = new Map<string, string>();
  #fd: number | undefined;
  #file: TarEntry | undefined;

  constructor(root: string) {
    super({ highWaterMark: 1024 * 1024 });
    this.#root = root;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      for (const event of this.#reader.push(chunk)) this.#apply(event);
      callback();
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.#reader.finish();
      callback();
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#closeFile();
    callback(error);
  }

  /** Refuses symlinks that resolve outside the tree, then applies folder modes (deepest first). */
  complete(): void {
    for (const [path, target] of this.#links) {
      const why = symlinkEscape({ root: this.#root, link: path, target });
      if (why !== undefined) throw new UnsafeLayerEntryError(path, `is a symlink that ${why}`);
    }
    const folders = [...this.#folders].filter(([path, mode]) => path !== "" && mode !== undefined).reverse();
    for (const [path, mode] of folders) chmodSync(`${this.#root}/${path}`, mode!);
  }

  #apply(event: TarEvent): void {
    if (event.type === "data") {
      let offset = 0;
      while (offset < event.bytes.length) offset += writeSync(this.#fd!, event.bytes, offset);
    } else if (event.type === "end") {
      if (this.#fd !== undefined) fchmodSync(this.#fd, this.#file!.mode & 0o777);
      this.#closeFile();
    } else {
      this.#begin(event.entry);
    }
  }

  #begin(entry: TarEntry): void {
    const path = safePath(entry.path);
    // Archives made with `tar -C dir .` start with "./", the destination itself.
    if (path === "" && entry.kind === "directory") return;
    if (path === "") throw new UnsafeLayerEntryError(entry.path, "has an empty path");
    this.#prepareParent(path, entry.path);
    if (this.#links.has(path) || (this.#folders.has(path) && entry.kind !== "directory")) {
      throw new UnsafeLayerEntryError(entry.path, "appears twice in the archive");
    }
    const absolute = `${this.#root}/${path}`;
    this.entries++;
    if (entry.kind === "directory") {
      if (!this.#folders.has(path)) this.#makeFolder(path, entry.path);
      this.#folders.set(path, entry.mode & 0o777);
    } else if (entry.kind === "symlink") {
      const target = entry.linkTarget;
      const lexical = posix.normalize(posix.join(posix.dirname(path), target));
      if (target === "" || posix.isAbsolute(target) || lexical === ".." || lexical.startsWith("../")) {
        throw new UnsafeLayerEntryError(entry.path, `is a symlink to "${target}", outside the layer`);
      }
      try {
        symlinkSync(target, absolute);
      } catch (error) {
        if (errorCode(error) !== "EEXIST") throw error;
        throw new UnsafeLayerEntryError(entry.path, "appears twice in the archive");
      }
      this.#links.set(path, target);
    } else {
      this.#file = entry;
      this.#fd = openFresh(absolute, entry.path);
    }
  }

  /** Makes sure the parent folder exists and that no part of the path is a link the archive created. */
  #prepareParent(path: string, shown: string): void {
    const parent = posix.dirname(path) === "." ? "" : posix.dirname(path);
    if (this.#folders.has(parent)) return;
    let folder = "";
    for (const part of parent.split("/")) {
      folder = folder === "" ? part : `${folder}/${part}`;
      if (this.#links.has(folder))
        throw new UnsafeLayerEntryError(shown, `would be written through symlink "${folder}"`);
      if (!this.#folders.has(folder)) this.#makeFolder(folder, shown);
    }
  }

  #makeFolder(path: string, shown: string): void {
    const absolute = `${this.#root}/${path}`;
    try {
      mkdirSync(absolute, 0o755);
    } catch (error) {
      if (errorCode(error) !== "EEXIST" || !lstatSync(absolute).isDirectory()) {
        throw new UnsafeLayerEntryError(shown, `needs folder "${path}", but something else is there`);
      }
    }
    this.#folders.set(path, undefined);
  }

  #closeFile(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#file = undefined;
  }
}

function openFresh(absolute: string, shown: string): number {
  try {
    return openSync(absolute, CREATE_FLAGS, 0o600);
  } catch (error) {
    if (errorCode(error) === "EEXIST") {
      throw new UnsafeLayerEntryError(shown, "appears twice in the archive");
    }
    throw error;
  }
}

/** The entry's path made relative and normal, or an error for one that could leave the destination. */
function safePath(path: string): string {
  if (path.includes("\0")) throw new UnsafeLayerEntryError(path, "has a NUL byte in its path");
  if (path.startsWith("/")) throw new UnsafeLayerEntryError(path, "has an absolute path");
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes(".."))
    throw new UnsafeLayerEntryError(path, `contains ".." and would leave the destination`);
  return parts.join("/");
}
