import {
  BLOCK_SIZE,
  paddingFor,
  TarFormatError,
  readPaxRecords,
  readTarHeader,
  type TarEntryKind,
  type TarHeaderInput,
} from "./tar-header.ts";

/**
 * One entry as read, with PAX and GNU long names applied; the same shape the writer takes, and `path` keeps
 * a folder's trailing slash off.
 */
export type TarEntry = TarHeaderInput;

/** What one pushed chunk contained: an entry starts, some of its body, its end. */
export type TarEvent = { type: "entry"; entry: TarEntry } | { type: "data"; bytes: Buffer } | { type: "end" };

const KINDS: Record<string, TarEntryKind> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "5": "directory",
  "2": "symlink",
};
/** Extended headers larger than this are refused rather than buffered. */
const MAX_META_SIZE = 1024 * 1024;
const ZERO_BLOCK = Buffer.alloc(BLOCK_SIZE);

type State =
  | { at: "header" }
  | { at: "body"; left: number; padding: number }
  | { at: "skip"; left: number }
  | { at: "meta"; typeflag: string; body: Buffer; filled: number; padding: number }
  | { at: "done" };

/**
 * A push parser for ustar/PAX/GNU tar bytes: feed it chunks as they arrive, get back events. Bodies are
 * slices of the pushed chunks (no copies). Hard links, devices and fifos are refused: layers hold
 * files, folders and symlinks only. Bytes after the end-of-archive blocks are ignored.
 */
export class TarReader {
  #state: State = { at: "header" };
  #header = Buffer.alloc(BLOCK_SIZE);
  #headerFilled = 0;
  #offset = 0;
  #zeroBlocks = 0;
  #pax = new Map<string, string>();
  #current = "";

  /** Parses `chunk` and returns the events it completes, in order. */
  push(chunk: Buffer): TarEvent[] {
    const events: TarEvent[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const state = this.#state;
      const available = chunk.length - pos;
      if (state.at === "done") break;
      if (state.at === "header") {
        let block: Buffer;
        if (this.#headerFilled === 0 && available >= BLOCK_SIZE) {
          block = chunk.subarray(pos, pos + BLOCK_SIZE);
          pos += BLOCK_SIZE;
        } else {
          const n = chunk.copy(this.#header, this.#headerFilled, pos, pos + BLOCK_SIZE - this.#headerFilled);
          this.#headerFilled += n;
          pos += n;
          if (this.#headerFilled < BLOCK_SIZE) break;
          this.#headerFilled = 0;
          block = this.#header;
        }
        this.#onHeader(block, events);
        this.#offset += BLOCK_SIZE;
      } else if (state.at === "body") {
        const n = Math.min(available, state.left);
        events.push({ type: "data", bytes: chunk.subarray(pos, pos + n) });
        pos += n;
        state.left -= n;
        this.#offset += n;
        if (state.left === 0) {
          events.push({ type: "end" });
          this.#state = state.padding > 0 ? { at: "skip", left: state.padding } : { at: "header" };
        }
      } else if (state.at === "skip") {
        const n = Math.min(available, state.left);
        pos += n;
        state.left -= n;
        this.#offset += n;
        if (state.left === 0) this.#state = { at: "header" };
      } else {
        const n = chunk.copy(state.body, state.filled, pos, pos + state.body.length - state.filled);
        pos += n;
        state.filled += n;
        this.#offset += n;
        if (state.filled === state.body.length) {
          this.#onMeta(state.typeflag, state.body);
          this.#state = state.padding > 0 ? { at: "skip", left: state.padding } : { at: "header" };
        }
      }
    }
    return events;
  }

  /** Throws when the bytes ended before the archive did (a truncated or cut-off stream). */
  finish(): void {
    const state = this.#state;
    if (state.at === "done") return;
    if (state.at === "header" && this.#headerFilled === 0 && this.#zeroBlocks > 0) return;
    const where = state.at === "body" || state.at === "skip" ? ` inside ${this.#current}` : "";
    throw new TarFormatError(
      `tar stream ended early at byte ${this.#offset}${where}: the archive is truncated`,
    );
  }

  #onHeader(block: Buffer, events: TarEvent[]): void {
    if (block.equals(ZERO_BLOCK)) {
      if (++this.#zeroBlocks === 2) this.#state = { at: "done" };
      return;
    }
    this.#zeroBlocks = 0;
    const raw = readTarHeader(block, this.#offset);
    const size = this.#pax.has("size") ? Number(this.#pax.get("size")) : raw.size;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new TarFormatError(`tar entry at byte ${this.#offset} has an invalid size`);
    }
    const padding = paddingFor(size);
    if (raw.typeflag === "x" || raw.typeflag === "g" || raw.typeflag === "L" || raw.typeflag === "K") {
      if (size > MAX_META_SIZE)
        throw new TarFormatError(`tar extended header at byte ${this.#offset} is too large`);
      this.#state = { at: "meta", typeflag: raw.typeflag, body: Buffer.alloc(size), filled: 0, padding };
      if (size === 0) this.#state = { at: "header" };
      return;
    }
    const path = this.#pax.get("path") ?? raw.name;
    const linkTarget = this.#pax.get("linkpath") ?? raw.linkname;
    this.#pax = new Map();
    this.#current = path;
    const kind = KINDS[raw.typeflag];
    if (kind === undefined) {
      const what = raw.typeflag === "1" ? "a hard link" : `of type "${raw.typeflag}"`;
      throw new TarFormatError(`tar entry ${path} is ${what}; layers hold only files, folders and symlinks`);
    }
    const entry: TarEntry = {
      path: kind === "directory" ? path.replace(/\/+$/, "") : path,
      kind,
      mode: raw.mode,
      size: kind === "file" ? size : 0,
      mtime: raw.mtime,
      linkTarget: kind === "symlink" ? linkTarget : "",
    };
    events.push({ type: "entry", entry });
    if (kind === "file" && size > 0) this.#state = { at: "body", left: size, padding };
    else {
      events.push({ type: "end" });
      const skip = size + padding;
      this.#state = skip > 0 ? { at: "skip", left: skip } : { at: "header" };
    }
  }

  #onMeta(typeflag: string, body: Buffer): void {
    const where = `tar extended header before byte ${this.#offset}`;
    if (typeflag === "x") {
      for (const [key, value] of readPaxRecords(body, where)) this.#pax.set(key, value);
    } else if (typeflag === "L" || typeflag === "K") {
      const end = body.indexOf(0);
      this.#pax.set(
        typeflag === "L" ? "path" : "linkpath",
        body.toString("utf8", 0, end === -1 ? body.length : end),
      );
    }
    // "g" (global) headers carry nothing a layer needs.
  }
}
