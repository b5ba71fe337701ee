import { spawnSync } from "node:child_process";
import { symlink, writeFile } from "node:fs/promises";

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BLOCK_SIZE } from "./tar-header.ts";
import { TarReader } from "./tar-reader.ts";
import { normalizeMode, TarWriter } from "./tar-writer.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-tarw-");

/** Writes a small archive with the given chunk size; returns the chunks as handed over. */
async function archive(dir: string, chunkSize: number): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const writer = new TarWriter({
    epoch: 315532800,
    chunkSize,
    write: (c) => void chunks.push(Buffer.from(c)),
  });
  await writer.addDirectory("app");
  await writer.addFile("app/big.bin", join(dir, "big.bin"));
  await writer.addFile("app/run.sh", join(dir, "run.sh"));
  await writer.addSymlink("app/start", "run.sh");
  await writer.addBytes("app/note.txt", Buffer.from("note\n"), 0o600);
  await writer.finish();
  expect(writer.entries).toBe(5);
  expect(writer.bytesIn).toBe(5000 + 10 + 5);
  return chunks;
}

async function fixture(): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, "big.bin"), Buffer.alloc(5000, 1));
  await writeFile(join(dir, "run.sh"), "#!/bin/sh\n", { mode: 0o700 });
  return dir;
}

describe("TarWriter", () => {
  it("hands over whole chunks (but the last), with bytes that do not depend on the chunk size", async () => {
    const dir = await fixture();
    const small = await archive(dir, 1024);
    const large = await archive(dir, 1024 * 1024);
    expect(small.slice(0, -1).every((c) => c.length === 1024)).toBe(true);
    expect(large).toHaveLength(1);
    expect(Buffer.concat(small).equals(large[0]!)).toBe(true);
    const bytes = large[0]!;
    expect(bytes.length % BLOCK_SIZE).toBe(0);
    expect(bytes.subarray(-2 * BLOCK_SIZE).every((b) => b === 0)).toBe(true);
  });

  it("writes an archive the system tar lists, with normalised modes", async () => {
    const dir = await fixture();
    const file = join(dir, "out.tar");
    await writeFile(file, Buffer.concat(await archive(dir, 4096)));
    const listing = spawnSync("tar", ["-tvf", file], { encoding: "utf8" });
    expect(listing.status).toBe(0);
    expect(
      listing.stdout
        .trim()
        .split("\n")
        .map((l) => `${l.slice(0, 10)} ${l.split(" ").at(-1)}`),
    ).toEqual([
      "drwxr-xr-x app/",
      "-rw-r--r-- app/big.bin",
      "-rwxr-xr-x app/run.sh",
      "lrwxrwxrwx run.sh",
      "-rw-r--r-- app/note.txt",
    ]);
  });

  it("streams contents that the reader gets back intact", async () => {
    const dir = await fixture();
    const reader = new TarReader();
    const bodies = new Map<string, Buffer[]>();
    let current = "";
    for (const chunk of await archive(dir, 512)) {
      for (const event of reader.push(chunk)) {
        if (event.type === "entry") bodies.set((current = event.entry.path), []);
        else if (event.type === "data") bodies.get(current)!.push(event.bytes);
      }
    }
    reader.finish();
    expect(Buffer.concat(bodies.get("app/big.bin")!).equals(Buffer.alloc(5000, 1))).toBe(true);
    expect(Buffer.concat(bodies.get("app/note.txt")!).toString()).toBe("note\n");
  });

  it("waits for the sink when it asks to", async () => {
    const dir = await fixture();
    let waits = 0;
    const writer = new TarWriter({
      epoch: 0,
      chunkSize: 512,
      write: () => new Promise<void>((resolve) => setTimeout(() => (waits++, resolve()), 1)),
    });
    await writer.addFile("big.bin", join(dir, "big.bin"));
    expect(waits).toBe(Math.floor((512 + 5000) / 512));
  });

  it("does not follow a symlink given as a file, and refuses entries after finish", async () => {
    const dir = await fixture();
    await symlink("big.bin", join(dir, "link"));
    const writer = new TarWriter({ epoch: 0, write: () => undefined });
    await expect(writer.addFile("link", join(dir, "link"))).rejects.toThrow(/ELOOP/);
    await writer.finish();
    await expect(writer.addDirectory("late")).rejects.toThrow("late added after finish()");
    expect(() => new TarWriter({ epoch: 0, chunkSize: 1000, write: () => undefined })).toThrow(RangeError);
  });
});

describe("normalizeMode", () => {
  it("keeps only whether a file is executable", () => {
    expect(normalizeMode("file", 0o100664)).toBe(0o644);
    expect(normalizeMode("file", 0o100600)).toBe(0o644);
    expect(normalizeMode("file", 0o100700)).toBe(0o755);
    expect(normalizeMode("file", 0o100001)).toBe(0o755);
    expect(normalizeMode("directory", 0o40700)).toBe(0o755);
    expect(normalizeMode("symlink", 0o120755)).toBe(0o777);
  });
});
