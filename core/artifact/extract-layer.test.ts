import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { access, lstat, mkdir, readFile, readlink, writeFile } from "node:fs/promises";

import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { digestOf, type Digest } from "./digest.ts";
import { CorruptLayerError, extractLayer, UnsafeLayerEntryError } from "./extract-layer.ts";
import { DEFAULT_EPOCH, packLayer } from "./pack-layer.ts";
import { handMadeTar, type HandEntry } from "../../test/support/hand-made-tar.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-extract-");

/** A tar.gz made by hand, so it can hold what our packer never writes. */
function handMade(entries: HandEntry[]): { bytes: Buffer; digest: Digest } {
  const bytes = gzipSync(handMadeTar(entries, DEFAULT_EPOCH));
  return { bytes, digest: digestOf(bytes) };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function extract(layer: { bytes: Buffer; digest: Digest }, destination: string) {
  return extractLayer({ source: Readable.from([layer.bytes]), destination, expectedDigest: layer.digest });
}

describe("extractLayer", () => {
  it("restores files, modes, folders and symlinks from a packed layer", async () => {
    const root = await tempDir();
    await mkdir(join(root, "bin"));
    await writeFile(join(root, "bin", "run"), "#!/bin/sh\n", { mode: 0o700 });
    await writeFile(join(root, "big.bin"), Buffer.alloc(3 * 1024 * 1024 + 17, 9));
    const packed = await packLayer({
      root,
      prefix: "app",
      exclude: [],
      epoch: DEFAULT_EPOCH,
      outDir: join(await tempDir(), "out"),
    });
    const destination = join(await tempDir(), "nested", "release");
    const result = await extract({ bytes: await readFile(packed.path), digest: packed.digest }, destination);
    expect(result).toEqual({ entries: packed.entries, bytes: packed.size });
    expect((await lstat(join(destination, "app", "bin", "run"))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(destination, "app", "bin"))).mode & 0o777).toBe(0o755);
    const big = await readFile(join(destination, "app", "big.bin"));
    expect(big.equals(Buffer.alloc(3 * 1024 * 1024 + 17, 9))).toBe(true);
  });

  it("reads archives from the system tar, including its ./ entry and GNU long names", async () => {
    const root = await tempDir();
    const long = `${"x".repeat(120)}.txt`;
    await writeFile(join(root, long), "long");
    const out = join(await tempDir(), "t.tar.gz");
    const made = spawnSync("tar", ["--format=gnu", "-czf", out, "-C", root, "."]);
    expect(made.status).toBe(0);
    const bytes = await readFile(out);
    const destination = join(await tempDir(), "d");
    await extract(
      { bytes, digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}` },
      destination,
    );
    expect(await readFile(join(destination, long), "utf8")).toBe("long");
  });

  it("rejects a blob whose digest does not match and leaves the destination absent", async () => {
    const good = handMade([{ path: "a.txt", body: "real" }]);
    const other = handMade([{ path: "a.txt", body: "fake" }]);
    const destination = join(await tempDir(), "d");
    const attempt = extract({ bytes: other.bytes, digest: good.digest }, destination);
    await expect(attempt).rejects.toThrow(CorruptLayerError);
    await expect(attempt).rejects.toThrow(`its bytes hash to ${other.digest}`);
    expect(await exists(destination)).toBe(false);
  });

  it("rejects a tampered blob (a flipped byte) and leaves nothing", async () => {
    const good = handMade([
      { path: "a.txt", body: "x".repeat(5000) },
      { path: "b.txt", body: "y" },
    ]);
    for (const at of [0, 20, good.bytes.length - 3]) {
      const bytes = Buffer.from(good.bytes);
      bytes[at] = bytes[at]! ^ 0x55;
      const destination = join(await tempDir(), "d");
      await expect(extract({ bytes, digest: good.digest }, destination)).rejects.toThrow(CorruptLayerError);
      expect(await exists(destination)).toBe(false);
    }
  });

  it("rejects a truncated blob", async () => {
    const good = handMade([{ path: "a.txt", body: "x".repeat(5000) }]);
    const destination = join(await tempDir(), "d");
    const cut = { bytes: good.bytes.subarray(0, good.bytes.length - 20), digest: good.digest };
    await expect(extract(cut, destination)).rejects.toThrow(CorruptLayerError);
    expect(await exists(destination)).toBe(false);
  });

  const unsafe: Array<[string, HandEntry[], RegExp]> = [
    ["a .. path", [{ path: "../evil.txt", body: "x" }], /"\.\.\/evil\.txt" contains "\.\."/],
    ["a nested .. path", [{ path: "a/../../evil.txt", body: "x" }], /contains "\.\."/],
    ["an absolute path", [{ path: "/tmp/evil.txt", body: "x" }], /has an absolute path/],
    [
      "a symlink outside",
      [{ path: "l", kind: "symlink", target: "../../etc" }],
      /symlink to "\.\.\/\.\.\/etc"/,
    ],
    ["an absolute symlink", [{ path: "l", kind: "symlink", target: "/etc" }], /symlink to "\/etc"/],
    [
      "a write through a symlink",
      [
        { path: "l", kind: "symlink", target: "sub" },
        { path: "l/x.txt", body: "x" },
      ],
      /written through symlink "l"/,
    ],
    [
      "links that escape only together",
      [
        { path: "a", kind: "symlink", target: "." },
        { path: "b", kind: "symlink", target: "a/.." },
      ],
      /"b" is a symlink that points outside/,
    ],
    [
      "a file replacing a symlink",
      [
        { path: "l", kind: "symlink", target: "x" },
        { path: "l", body: "x" },
      ],
      /appears twice/,
    ],
  ];
  for (const [name, entries, message] of unsafe) {
    it(`refuses ${name} and leaves nothing`, async () => {
      const base = await tempDir();
      const destination = join(base, "d");
      const attempt = extract(handMade(entries), destination);
      await expect(attempt).rejects.toThrow(UnsafeLayerEntryError);
      await expect(attempt).rejects.toThrow(message);
      expect(await exists(destination)).toBe(false);
      expect(await exists(join(base, "evil.txt"))).toBe(false);
    });
  }

  it("keeps a symlink inside the layer, even a dangling one", async () => {
    const layer = handMade([
      { path: "lib", kind: "directory" },
      { path: "lib/a.js", body: "a" },
      { path: "main.js", kind: "symlink", target: "lib/a.js" },
      { path: "later", kind: "symlink", target: "lib/not-yet.js" },
    ]);
    const destination = join(await tempDir(), "d");
    await extract(layer, destination);
    expect(await readFile(join(destination, "main.js"), "utf8")).toBe("a");
    expect(await readlink(join(destination, "later"))).toBe("lib/not-yet.js");
  });

  it("refuses to extract into a folder that already exists", async () => {
    const destination = await tempDir();
    await writeFile(join(destination, "mine.txt"), "keep");
    await expect(extract(handMade([{ path: "a", body: "a" }]), destination)).rejects.toThrow(
      /already exists/,
    );
    expect(await readFile(join(destination, "mine.txt"), "utf8")).toBe("keep");
  });
});
