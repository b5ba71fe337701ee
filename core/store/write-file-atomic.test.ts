import { readFile, readdir, writeFile } from "node:fs/promises";

import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-atomic-");

const mismatch = (actual: Digest) => new Error(`got ${actual}`);

describe("writeFileAtomic", () => {
  it("writes the bytes, creating folders, and reports progress", async () => {
    const dir = await tempDir();
    const bytes = Buffer.from("hello, store");
    const progress: number[] = [];
    const written = await writeFileAtomic({
      source: Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]),
      destination: join(dir, "a", "b", "file"),
      tempDir: join(dir, "tmp"),
      expected: { digest: digestOf(bytes), mismatch },
      onProgress: (n) => progress.push(n),
    });
    expect(written).toBe(bytes.length);
    expect(progress).toEqual([5, bytes.length]);
    expect(await readFile(join(dir, "a", "b", "file"))).toEqual(bytes);
    expect(await readdir(join(dir, "tmp"))).toEqual([]);
  });

  it("keeps the old file and removes the temporary one when the digest does not match", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "file"), "old");
    const error = await writeFileAtomic({
      source: Readable.from([Buffer.from("new")]),
      destination: join(dir, "file"),
      tempDir: dir,
      expected: { digest: digestOf("something else"), mismatch },
    }).catch((e: unknown) => e);
    expect(String(error)).toContain(`got ${digestOf("new")}`);
    expect(await readFile(join(dir, "file"), "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["file"]);
  });

  it("removes the temporary file when the source fails midway", async () => {
    const dir = await tempDir();
    async function* failing() {
      yield Buffer.from("part one");
      throw new Error("disk went away");
    }
    await expect(
      writeFileAtomic({
        source: Readable.from(failing()),
        destination: join(dir, "file"),
        tempDir: dir,
        expected: { digest: digestOf("part one"), mismatch },
      }),
    ).rejects.toThrow("disk went away");
    expect(await readdir(dir)).toEqual([]);
  });
});
