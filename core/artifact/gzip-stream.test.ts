import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { crc32, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createGzipStream, GZIP_HEADER } from "./gzip-stream.ts";

async function gzip(chunks: Buffer[]): Promise<Buffer> {
  return buffer(Readable.from(chunks).pipe(createGzipStream()));
}

const input = Buffer.concat([randomBytes(100_000), Buffer.alloc(300_000, "a"), randomBytes(70_000)]);

describe("createGzipStream", () => {
  it("writes a fixed header (mtime 0, OS 255) and a CRC32 and size trailer", async () => {
    const out = await gzip([input]);
    expect(out.subarray(0, 10)).toEqual(GZIP_HEADER);
    expect(out[9]).toBe(255);
    expect(out.readUInt32LE(out.length - 8)).toBe(crc32(input));
    expect(out.readUInt32LE(out.length - 4)).toBe(input.length);
    expect(gunzipSync(out).equals(input)).toBe(true);
  });

  it("gives the same bytes however the input is split", async () => {
    const whole = await gzip([input]);
    const pieces: Buffer[] = [];
    for (let at = 0; at < input.length; at += 7777) pieces.push(input.subarray(at, at + 7777));
    expect((await gzip(pieces)).equals(whole)).toBe(true);
  });

  it("compresses empty input to a valid gzip that the system gzip accepts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aether-gzip-"));
    try {
      for (const [name, data] of [
        ["empty.gz", Buffer.alloc(0)],
        ["data.gz", input],
      ] as const) {
        const file = join(dir, name);
        await writeFile(file, await gzip(data.length === 0 ? [] : [data]));
        expect(spawnSync("gzip", ["-t", file]).status).toBe(0);
        const back = spawnSync("gzip", ["-dc", file]);
        expect(back.stdout.equals(data)).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
