import { spawnSync } from "node:child_process";
import { link, mkdir, readFile, writeFile } from "node:fs/promises";

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TarFormatError } from "./tar-header.ts";
import { TarReader, type TarEntry } from "./tar-reader.ts";
import { TarWriter } from "./tar-writer.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-tarr-");

interface Read {
  entries: TarEntry[];
  bodies: Map<string, string>;
}

/** Feeds `bytes` in pieces of `step` bytes and collects what the reader reports. */
function readAll(bytes: Buffer, step: number): Read {
  const reader = new TarReader();
  const entries: TarEntry[] = [];
  const bodies = new Map<string, string>();
  let current = "";
  let open = false;
  for (let at = 0; at < bytes.length; at += step) {
    for (const event of reader.push(bytes.subarray(at, at + step))) {
      if (event.type === "entry") {
        expect(open).toBe(false);
        entries.push(event.entry);
        current = event.entry.path;
        bodies.set(current, "");
        open = true;
      } else if (event.type === "data") {
        bodies.set(current, bodies.get(current)! + event.bytes.toString("utf8"));
      } else {
        open = false;
      }
    }
  }
  reader.finish();
  return { entries, bodies };
}

async function ours(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const writer = new TarWriter({ epoch: 1, chunkSize: 512, write: (c) => void chunks.push(Buffer.from(c)) });
  await writer.addDirectory("d");
  await writer.addBytes(`d/${"long-".repeat(40)}é.txt`, Buffer.from("x".repeat(700)), 0o755);
  await writer.addSymlink("d/l", `../${"t".repeat(150)}`);
  await writer.addBytes("d/empty", Buffer.alloc(0), 0o644);
  await writer.finish();
  return Buffer.concat(chunks);
}

describe("TarReader", () => {
  it("reads the same entries and bodies however the bytes are split", async () => {
    const bytes = await ours();
    const whole = readAll(bytes, bytes.length);
    expect(whole.entries.map((e) => [e.kind, e.path, e.mode, e.size, e.mtime])).toEqual([
      ["directory", "d", 0o755, 0, 1],
      ["file", `d/${"long-".repeat(40)}é.txt`, 0o755, 700, 1],
      ["symlink", "d/l", 0o777, 0, 1],
      ["file", "d/empty", 0o644, 0, 1],
    ]);
    expect(whole.entries[2]!.linkTarget).toBe(`../${"t".repeat(150)}`);
    expect(whole.bodies.get(`d/${"long-".repeat(40)}é.txt`)).toBe("x".repeat(700));
    for (const step of [1, 7, 511, 512, 513, 1000]) expect(readAll(bytes, step)).toEqual(whole);
  });

  it("reads the system tar's ustar prefix field and GNU long names", async () => {
    const dir = await tempDir();
    const folder = `${"a".repeat(90)}/${"b".repeat(40)}`;
    await mkdir(join(dir, "src", folder), { recursive: true });
    await writeFile(join(dir, "src", folder, "f.txt"), "prefixed");
    for (const format of ["ustar", "gnu", "pax"]) {
      const file = join(dir, `${format}.tar`);
      expect(spawnSync("tar", [`--format=${format}`, "-cf", file, "-C", join(dir, "src"), "."]).status).toBe(
        0,
      );
      const read = readAll(await readFile(file), 4096);
      expect(read.bodies.get(`./${folder}/f.txt`)).toBe("prefixed");
    }
  });

  it("refuses hard links, which a layer never holds", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "src"));
    await writeFile(join(dir, "src", "a"), "same");
    await link(join(dir, "src", "a"), join(dir, "src", "b"));
    const file = join(dir, "h.tar");
    expect(spawnSync("tar", ["-cf", file, "-C", join(dir, "src"), "a", "b"]).status).toBe(0);
    expect(() => readAll(Buffer.from(spawnSync("cat", [file]).stdout), 512)).toThrow(
      /tar entry b is a hard link/,
    );
  });

  it("notices a truncated archive and ignores bytes after the end", async () => {
    const bytes = await ours();
    expect(() => readAll(bytes.subarray(0, 1536 + 100), 512)).toThrow(TarFormatError);
    expect(() => readAll(bytes.subarray(0, bytes.length - 1024), 512)).toThrow(/ended early/);
    expect(readAll(Buffer.concat([bytes, Buffer.from("trailing junk")]), 512).entries).toHaveLength(4);
  });

  it("refuses bytes that are not a tar", () => {
    expect(() => readAll(Buffer.alloc(1024, "not a tar "), 512)).toThrow(/bad checksum/);
  });
});
