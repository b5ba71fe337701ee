import { describe, expect, it } from "vitest";
import {
  BLOCK_SIZE,
  MAX_USTAR_SIZE,
  readPaxRecords,
  readTarHeader,
  tarHeader,
  TarFormatError,
} from "./tar-header.ts";
import { TarReader, type TarEntry } from "./tar-reader.ts";

const base = { kind: "file" as const, mode: 0o644, size: 5, mtime: 315532800, linkTarget: "" };

/** Reads the entry back the way extraction does. */
function readBack(header: Buffer): TarEntry {
  const events = new TarReader().push(header);
  const first = events[0];
  if (first?.type !== "entry") throw new Error("no entry");
  return first.entry;
}

describe("tarHeader", () => {
  it("writes one ustar block with owner 0, empty names and a valid checksum", () => {
    const block = tarHeader({ ...base, path: "src/index.js" });
    expect(block.length).toBe(BLOCK_SIZE);
    expect(readTarHeader(block, 0)).toEqual({
      name: "src/index.js",
      mode: 0o644,
      size: 5,
      mtime: 315532800,
      typeflag: "0",
      linkname: "",
    });
    expect(block.toString("latin1", 108, 124)).toBe("0000000\u00000000000\u0000");
    expect(block.toString("latin1", 257, 265)).toBe("ustar\u000000");
    expect(block.subarray(265, 329).every((b) => b === 0)).toBe(true);
  });

  it("marks folders with a trailing slash and links with their target", () => {
    expect(readTarHeader(tarHeader({ ...base, path: "lib", kind: "directory", size: 0 }), 0)).toMatchObject({
      name: "lib/",
      typeflag: "5",
    });
    const link = tarHeader({ ...base, path: ".bin/tsc", kind: "symlink", size: 0, linkTarget: "../ts/tsc" });
    expect(readTarHeader(link, 0)).toMatchObject({ typeflag: "2", linkname: "../ts/tsc" });
  });

  it("adds a PAX header for paths over 100 bytes, at every record-length boundary", () => {
    for (let length = 95; length < 1100; length += 1) {
      const path = `${"p/".repeat(length >> 1)}${"x".repeat(length & 1)}z`;
      const header = tarHeader({ ...base, path });
      expect(header.length > BLOCK_SIZE).toBe(Buffer.byteLength(path) > 100);
      expect(readBack(header).path).toBe(path);
    }
  });

  it("adds a PAX header for non-ASCII paths and link targets", () => {
    const header = tarHeader({ ...base, path: "données/été ✓.txt" });
    expect(header.length).toBe(3 * BLOCK_SIZE);
    expect(readBack(header).path).toBe("données/été ✓.txt");
    const target = `../${"t".repeat(120)}/é`;
    const link = readBack(tarHeader({ ...base, path: "l", kind: "symlink", size: 0, linkTarget: target }));
    expect(link).toMatchObject({ kind: "symlink", path: "l", linkTarget: target });
  });

  it("adds a PAX size for files over 8 GiB", () => {
    const size = 10 * 1024 * 1024 * 1024 + 3;
    const header = tarHeader({ ...base, path: "huge.bin", size });
    expect(header.length).toBe(3 * BLOCK_SIZE);
    expect(readTarHeader(header.subarray(2 * BLOCK_SIZE), 0).size).toBe(0);
    expect(readBack(header).size).toBe(size);
    expect(tarHeader({ ...base, path: "edge.bin", size: MAX_USTAR_SIZE }).length).toBe(BLOCK_SIZE);
  });

  it("refuses a time an octal field cannot hold", () => {
    expect(() => tarHeader({ ...base, path: "a", mtime: 2 ** 40 })).toThrow(RangeError);
  });
});

describe("readTarHeader", () => {
  it("refuses a block with a bad checksum", () => {
    const block = tarHeader({ ...base, path: "a.txt" });
    block[0] = 0x62;
    expect(() => readTarHeader(block, 1024)).toThrow(TarFormatError);
    expect(() => readTarHeader(block, 1024)).toThrow("tar header at byte 1024 has a bad checksum");
  });

  it("reads GNU base-256 numbers", () => {
    const block = tarHeader({ ...base, path: "a.txt" });
    block.fill(0, 124, 136);
    block[124] = 0x80;
    block.writeUIntBE(9 * 1024 ** 3, 130, 6);
    block.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    expect(readTarHeader(block, 0).size).toBe(9 * 1024 ** 3);
  });
});

describe("readPaxRecords", () => {
  it("reads records and refuses malformed ones", () => {
    const body = Buffer.from("17 path=a/b/c.js\n19 linkpath=../x/y\n");
    expect([...readPaxRecords(body, "here")]).toEqual([
      ["path", "a/b/c.js"],
      ["linkpath", "../x/y"],
    ]);
    expect(() => readPaxRecords(Buffer.from("99 path=a\n"), "here")).toThrow("here: malformed PAX");
    expect(() => readPaxRecords(Buffer.from("9 nokey\n"), "here")).toThrow("here: malformed PAX");
  });
});
