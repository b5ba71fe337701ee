import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ExtractSink, UnsafeLayerEntryError } from "./extract-sink.ts";
import { handMadeTar } from "../../test/support/hand-made-tar.ts";

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function emptyFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aether-sink-"));
  temps.push(dir);
  const root = join(dir, "root");
  await mkdir(root);
  return root;
}

async function write(root: string, bytes: Buffer, step = 100): Promise<ExtractSink> {
  const sink = new ExtractSink(root);
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += step) pieces.push(bytes.subarray(at, at + step));
  await pipeline(Readable.from(pieces), sink);
  sink.complete();
  return sink;
}

describe("ExtractSink", () => {
  it("creates missing parent folders, skips ./, and writes bodies split across chunks", async () => {
    const root = await emptyFolder();
    const sink = await write(
      root,
      handMadeTar([
        { path: "./", kind: "directory" },
        { path: "a/b/c.txt", body: "x".repeat(1500), mode: 0o755 },
      ]),
    );
    expect(sink.entries).toBe(1);
    expect(await readFile(join(root, "a", "b", "c.txt"), "utf8")).toBe("x".repeat(1500));
    expect((await lstat(join(root, "a", "b", "c.txt"))).mode & 0o7777).toBe(0o755);
  });

  it("applies folder modes after the contents are written, and drops setuid bits", async () => {
    const root = await emptyFolder();
    await write(
      root,
      handMadeTar([
        { path: "ro", kind: "directory", mode: 0o555 },
        { path: "ro/inner", kind: "directory", mode: 0o500 },
        { path: "ro/inner/f", body: "f", mode: 0o4755 },
      ]),
    );
    expect((await lstat(join(root, "ro"))).mode & 0o777).toBe(0o555);
    expect((await lstat(join(root, "ro", "inner"))).mode & 0o777).toBe(0o500);
    expect((await lstat(join(root, "ro", "inner", "f"))).mode & 0o7777).toBe(0o755);
    // So that clean-up works for users other than root.
    await chmod(join(root, "ro"), 0o755);
    await chmod(join(root, "ro", "inner"), 0o755);
  });

  it("accepts a folder listed twice but not a file listed twice or over a folder", async () => {
    const root = await emptyFolder();
    await write(
      root,
      handMadeTar([
        { path: "d", kind: "directory" },
        { path: "d", kind: "directory" },
      ]),
    );
    expect(await readdir(root)).toEqual(["d"]);
    const twice = handMadeTar([
      { path: "f", body: "1" },
      { path: "f", body: "2" },
    ]);
    await expect(write(await emptyFolder(), twice)).rejects.toThrow(UnsafeLayerEntryError);
    const overFolder = handMadeTar([
      { path: "d", kind: "directory" },
      { path: "d", body: "2" },
    ]);
    await expect(write(await emptyFolder(), overFolder)).rejects.toThrow(/"d" appears twice/);
    const underFile = handMadeTar([
      { path: "f", body: "1" },
      { path: "f/g", body: "2" },
    ]);
    await expect(write(await emptyFolder(), underFile)).rejects.toThrow(
      /needs folder "f", but something else is there/,
    );
  });

  it("refuses a symlink that escapes only once the whole tree exists", async () => {
    const root = await emptyFolder();
    const bytes = handMadeTar([
      { path: "b", kind: "symlink", target: "a/.." },
      { path: "a", kind: "symlink", target: "." },
    ]);
    await expect(write(root, bytes)).rejects.toThrow(/"b" is a symlink that points outside the tree/);
  });

  it("reports a stream that ends before the archive does", async () => {
    const bytes = handMadeTar([{ path: "f", body: "x".repeat(2000) }]);
    await expect(write(await emptyFolder(), bytes.subarray(0, 1200))).rejects.toThrow(
      /ended early at byte 1200 inside f/,
    );
  });
});
