/** Tar works in 512-byte blocks: headers are one block, bodies are padded to a whole number of them. */
export const BLOCK_SIZE = 512;

/** The largest size an 11-digit octal ustar field holds (8 GiB - 1); larger files get a PAX `size`. */
export const MAX_USTAR_SIZE = 0o77777777777;

/** The bytes are not a well-formed tar archive (bad checksum, malformed field, truncated). */
export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarFormatError";
  }
}

export type TarEntryKind = "file" | "directory" | "symlink";

/** One entry as the writer describes it. Directories are given without a trailing slash. */
export interface TarHeaderInput {
  path: string;
  kind: TarEntryKind;
  mode: number;
  /** Body length in bytes; 0 for folders and links. */
  size: number;
  mtime: number;
  /** Symlink target; "" for other kinds. */
  linkTarget: string;
}

/** The fields of one raw ustar block, before PAX or GNU long names are applied. */
export interface RawTarHeader {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
}

const TYPEFLAG: Record<TarEntryKind, string> = { file: "0", directory: "5", symlink: "2" };
// A fixed name keeps PAX headers free of anything that varies; the real path is in the records.
const PAX_NAME = "././@PaxHeader";

/**
 * The header blocks for one entry: a ustar block, preceded by a PAX extended header when the path or link
 * target is over 100 bytes or not ASCII, or the size is over 8 GiB. Owners are always 0 with empty names.
 */
export function tarHeader(entry: TarHeaderInput): Buffer {
  const name = entry.kind === "directory" ? `${entry.path}/` : entry.path;
  const records: Array<[string, string]> = [];
  if (needsPax(name)) records.push(["path", name]);
  if (needsPax(entry.linkTarget)) records.push(["linkpath", entry.linkTarget]);
  if (entry.size > MAX_USTAR_SIZE) records.push(["size", String(entry.size)]);
  const header = ustarBlock({
    name: records.length > 0 ? asciiFallback(name) : name,
    mode: entry.mode,
    size: entry.size > MAX_USTAR_SIZE ? 0 : entry.size,
    mtime: entry.mtime,
    typeflag: TYPEFLAG[entry.kind],
    linkname: needsPax(entry.linkTarget) ? asciiFallback(entry.linkTarget) : entry.linkTarget,
  });
  if (records.length === 0) return header;
  const body = Buffer.from(records.map(([key, value]) => paxRecord(key, value)).join(""), "utf8");
  const paxHeader = ustarBlock({
    name: PAX_NAME,
    mode: 0o644,
    size: body.length,
    mtime: entry.mtime,
    typeflag: "x",
    linkname: "",
  });
  const padding = Buffer.alloc(paddingFor(body.length));
  return Buffer.concat([paxHeader, body, padding, header]);
}

/** Bytes of zeros that follow a body of `size` bytes so the next header starts on a block. */
export function paddingFor(size: number): number {
  const rest = size % BLOCK_SIZE;
  return rest === 0 ? 0 : BLOCK_SIZE - rest;
}

/** Reads one header block; throws when its checksum does not match (not a tar, or corrupt). */
export function readTarHeader(block: Buffer, offset: number): RawTarHeader {
  const stored = /^[0-7]*[\0 ]*$/.test(block.toString("latin1", 148, 156).trim())
    ? readNumber(block, 148, 8)
    : -1;
  const { unsigned, signed } = checksums(block);
  if (stored !== unsigned && stored !== signed) {
    throw new TarFormatError(
      `tar header at byte ${offset} has a bad checksum: the archive is corrupt or not a tar`,
    );
  }
  let name = readString(block, 0, 100);
  // Only POSIX ustar ("ustar\0") has a prefix field; GNU's "ustar  " keeps other data there.
  if (block.toString("latin1", 257, 263) === "ustar\0") {
    const prefix = readString(block, 345, 155);
    if (prefix !== "") name = `${prefix}/${name}`;
  }
  return {
    name,
    mode: readNumber(block, 100, 8),
    size: readNumber(block, 124, 12),
    mtime: readNumber(block, 136, 12),
    typeflag: String.fromCharCode(block[156] ?? 0),
    linkname: readString(block, 157, 100),
  };
}

/** Parses a PAX extended header body (`"<len> <key>=<value>\n"` records). */
export function readPaxRecords(body: Buffer, where: string): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === 0) break;
    const space = body.indexOf(0x20, pos);
    const length = space === -1 ? NaN : Number(body.toString("latin1", pos, space));
    const end = pos + length;
    if (!Number.isInteger(length) || length <= 0 || end > body.length || body[end - 1] !== 0x0a) {
      throw new TarFormatError(`${where}: malformed PAX extended header record at byte ${pos}`);
    }
    const record = body.toString("utf8", space + 1, end - 1);
    const equals = record.indexOf("=");
    if (equals <= 0)
      throw new TarFormatError(`${where}: malformed PAX extended header record at byte ${pos}`);
    records.set(record.slice(0, equals), record.slice(equals + 1));
    pos = end;
  }
  return records;
}

function needsPax(text: string): boolean {
  // A string is ASCII exactly when its UTF-8 length equals its UTF-16 length.
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > 100 || bytes !== text.length;
}

function asciiFallback(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "_").slice(0, 100);
}

function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restBytes = Buffer.byteLength(rest, "utf8");
  // The length counts its own digits, so one more digit may be needed once they are added.
  let length = restBytes + String(restBytes).length;
  if (String(length).length !== String(restBytes).length) length = restBytes + String(length).length;
  return `${length}${rest}`;
}

function ustarBlock(fields: RawTarHeader): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  block.write(fields.name, 0, 100, "utf8");
  writeOctal(block, 100, 8, fields.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, fields.mtime);
  block.write(fields.typeflag, 156, 1, "latin1");
  block.write(fields.linkname, 157, 100, "utf8");
  block.write("ustar\0", 257, 6, "latin1");
  block.write("00", 263, 2, "latin1");
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  const { unsigned } = checksums(block);
  block.write(`${unsigned.toString(8).padStart(6, "0")}\0 `, 148, 8, "latin1");
  return block;
}

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8);
  if (!Number.isSafeInteger(value) || value < 0 || digits.length > width - 1) {
    throw new RangeError(`tar header field at ${offset} cannot hold ${value}`);
  }
  block.write(`${digits.padStart(width - 1, "0")}\0`, offset, width, "latin1");
}

function checksums(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK_SIZE; i++) {
    if (i >= 148 && i < 156) continue;
    const byte = block[i] ?? 0;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return { unsigned, signed };
}

function readString(block: Buffer, offset: number, width: number): string {
  const end = block.indexOf(0, offset);
  return block.toString("utf8", offset, end === -1 || end > offset + width ? offset + width : end);
}

function readNumber(block: Buffer, offset: number, width: number): number {
  const first = block[offset] ?? 0;
  if (first & 0x80) {
    // GNU base-256: big-endian bytes after the marker bit.
    let value = first & 0x7f;
    for (let i = offset + 1; i < offset + width; i++) value = value * 256 + (block[i] ?? 0);
    return value;
  }
  const text = block
    .toString("latin1", offset, offset + width)
    .replace(/[\0 ]+$/g, "")
    .trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text))
    throw new TarFormatError(`tar header field at ${offset} is not octal: "${text}"`);
  return parseInt(text, 8);
}
