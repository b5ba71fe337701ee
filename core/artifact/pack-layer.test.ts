import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import {
  chmod,
  chown,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";

import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { extractLayer } from "./extract-layer.ts";
import { DEFAULT_EPOCH, packLayer } from "./pack-layer.ts";
import { SymlinkEscapeError } from "./walk-tree.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-pack-");

function run(argv: string[], cwd?: string): string {
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

const LONG_DIR = `deep/${"d".repeat(60)}/${"e".repeat(60)}`;
const LONGER = `${LONG_DIR}/${"f".repeat(90)}/${"g".repeat(80)}.txt`;
const FILES: Record<string, { content: string; executable?: boolean }> = {
  "package.json": { content: '{"name":"demo"}\n' },
  "server.js": { content: "console.log('hi')\n".repeat(50) },
  "bin/start": { content: "#!/bin/sh\nexec node server.js\n", executable: true },
  "lib/a-b.js": { content: "export const a = 1;\n" },
  "lib/a/x.js": { content: "export const x = 2;\n" },
  "données/été.txt": { content: "unicode ✓\n" },
  [`${LONG_DIR}/short.txt`]: { content: "long folder\n" },
  [LONGER]: { content: "over 255 bytes\n" },
};

/** Builds the same logical tree in different ways: order, times, owners and non-execute mode bits. */
async function buildTree(root: string, variant: "plain" | "shuffled"): Promise<void> {
  const names = Object.keys(FILES);
  if (variant === "shuffled") names.reverse();
  for (const name of names) {
    const file = FILES[name]!;
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
    const mode = variant === "plain" ? (file.executable ? 0o755 : 0o644) : file.executable ? 0o711 : 0o664;
    await chmod(path, mode);
    const when = variant === "plain" ? new Date() : new Date(Date.UTC(2001, 2, 3));
    await utimes(path, when, when);
    if (variant === "shuffled" && process.getuid?.() === 0) await chown(path, 1234, 5678);
  }
  await symlink("../server.js", join(root, "bin", "server"));
  await symlink("bin/start", join(root, "start"));
  if (variant === "shuffled") await chmod(join(root, "lib"), 0o775);
}

async function pack(root: string, extra: { epoch?: number; prefix?: string; exclude?: string[] } = {}) {
  return packLayer({
    root,
    prefix: extra.prefix ?? "",
    exclude: extra.exclude ?? [],
    epoch: extra.epoch ?? DEFAULT_EPOCH,
    outDir: join(await tempDir(), "out"),
  });
}

describe("packLayer", () => {
  it("gives byte-identical layers for the same tree built in different orders, times, owners and modes", async () => {
    const a = await tempDir();
    const b = await tempDir();
    await buildTree(a, "plain");
    await buildTree(b, "shuffled");
    const first = await pack(a);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await pack(b);
    const again = await pack(a);
    expect(second.digest).toBe(first.digest);
    expect(again.digest).toBe(first.digest);
    expect((await readFile(second.path)).equals(await readFile(first.path))).toBe(true);
    expect(first.path.endsWith(`${first.digest.slice(7)}.tar.gz`)).toBe(true);
    expect(first.size).toBe((await readFile(first.path)).length);
    expect(await readdir(dirname(first.path))).toEqual([`${first.digest.slice(7)}.tar.gz`]);
  });

  it("changes bytes when the epoch (SOURCE_DATE_EPOCH) changes, and stamps it on every entry", async () => {
    const root = await tempDir();
    await buildTree(root, "plain");
    const one = await pack(root);
    const two = await pack(root, { epoch: 1_700_000_000 });
    expect(two.digest).not.toBe(one.digest);
    const listing = run(["tar", "--full-time", "-tzvf", two.path]);
    expect(listing.split("\n").filter((l) => l.trim() !== "" && !l.includes("2023-11-14 22:13:20"))).toEqual(
      [],
    );
  });

  it("writes a gzip and tar that the system tools read, with normalised owners and modes", async () => {
    const root = await tempDir();
    await buildTree(root, "shuffled");
    const layer = await pack(root);
    run(["gzip", "-t", layer.path]);
    const listing = run(["tar", "-tzvf", layer.path]);
    const lines = listing.trim().split("\n");
    expect(lines).toHaveLength(layer.entries);
    expect(lines.every((l) => / 0\/0 /.test(l))).toBe(true);
    expect(lines.find((l) => l.includes(" bin/start"))).toMatch(/^-rwxr-xr-x /);
    expect(lines.find((l) => l.includes(" server.js"))).toMatch(/^-rw-r--r-- /);
    expect(lines.find((l) => l.includes(" lib/\n") || l.endsWith(" lib/"))).toMatch(/^drwxr-xr-x /);
    expect(lines.find((l) => l.includes(" bin/server "))).toMatch(
      /^lrwxrwxrwx .* bin\/server -> \.\.\/server\.js$/,
    );
    // Whole paths in byte order, folders ("name/") before their contents: "lib/a-b.js" before "lib/a/".
    const names = run(["tar", "-tzf", layer.path]).trim().split("\n");
    const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(names).toEqual(byBytes);
    expect(names.indexOf("lib/")).toBeLessThan(names.indexOf("lib/a-b.js"));
    expect(names.indexOf("lib/a-b.js")).toBeLessThan(names.indexOf("lib/a/"));
    expect(names).toContain(`${LONGER}`);
    expect(names).toContain("données/été.txt");
  });

  it("round-trips long paths, unicode names, modes and symlinks through tar -xzf and extractLayer", async () => {
    const root = await tempDir();
    await buildTree(root, "plain");
    const layer = await pack(root);
    const byTar = join(await tempDir(), "tar");
    await mkdir(byTar);
    run(["tar", "-xzf", layer.path, "-C", byTar]);
    const byUs = join(await tempDir(), "ours");
    await extractLayer({
      source: createReadStream(layer.path),
      destination: byUs,
      expectedDigest: layer.digest,
    });
    for (const out of [byTar, byUs]) {
      for (const [name, file] of Object.entries(FILES)) {
        expect(await readFile(join(out, name), "utf8")).toBe(file.content);
        expect((await lstat(join(out, name))).mode & 0o777).toBe(file.executable ? 0o755 : 0o644);
      }
      expect(await readlink(join(out, "bin", "server"))).toBe("../server.js");
      expect(await readlink(join(out, "start"))).toBe("bin/start");
      expect(await readFile(join(out, "start"), "utf8")).toBe(FILES["bin/start"]!.content);
    }
    expect(Buffer.byteLength(LONGER)).toBeGreaterThan(255);
  });

  it("puts the contents under the prefix, with the prefix's own folders first", async () => {
    const root = await tempDir();
    await writeFile(join(root, "index.js"), "1");
    const layer = await pack(root, { prefix: "app/node_modules" });
    expect(run(["tar", "-tzf", layer.path]).trim().split("\n")).toEqual([
      "app/",
      "app/node_modules/",
      "app/node_modules/index.js",
    ]);
    expect(layer.entries).toBe(3);
    await expect(pack(root, { prefix: "../up" })).rejects.toThrow(/prefix "..\/up"/);
  });

  it("leaves out excluded paths and folder names at any depth", async () => {
    const root = await tempDir();
    for (const path of [
      "keep.js",
      "node_modules/x/i.js",
      "src/node_modules/y.js",
      "src/.env",
      ".env",
      "dist/cache/c",
    ]) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), path);
    }
    await writeFile(join(root, "src", "node_modules.txt"), "a file, not a folder");
    const layer = await pack(root, { exclude: ["node_modules/", ".env", "dist/cache"] });
    expect(run(["tar", "-tzf", layer.path]).trim().split("\n")).toEqual([
      "dist/",
      "keep.js",
      "src/",
      "src/.env",
      "src/node_modules.txt",
    ]);
  });

  it("keeps its own output out of the layer when the output folder is inside the tree", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a.txt"), "a");
    const layer = await packLayer({
      root,
      prefix: "",
      exclude: [],
      epoch: DEFAULT_EPOCH,
      outDir: join(root, ".aether"),
    });
    expect(run(["tar", "-tzf", layer.path]).trim().split("\n")).toEqual(["a.txt"]);
    const same = await packLayer({
      root,
      prefix: "",
      exclude: [],
      epoch: DEFAULT_EPOCH,
      outDir: join(root, ".aether"),
    });
    expect(same.digest).toBe(layer.digest);
  });

  it("refuses a symlink that leads outside the tree, naming it, and leaves no file behind", async () => {
    const root = await tempDir();
    await mkdir(join(root, "node_modules", ".bin"), { recursive: true });
    await symlink("../../../etc/passwd", join(root, "node_modules", ".bin", "evil"));
    const outDir = join(await tempDir(), "out");
    const attempt = packLayer({ root, prefix: "", exclude: [], epoch: DEFAULT_EPOCH, outDir });
    await expect(attempt).rejects.toThrow(SymlinkEscapeError);
    await expect(attempt).rejects.toThrow(/node_modules\/\.bin\/evil: symlink points outside the tree/);
    expect(await readdir(outDir)).toEqual([]);
  });

  it("reports progress", async () => {
    const root = await tempDir();
    await writeFile(join(root, "big.bin"), Buffer.alloc(3 * 1024 * 1024, 7));
    const seen: Array<{ files: number; bytesIn: number }> = [];
    await packLayer({
      root,
      prefix: "",
      exclude: [],
      epoch: DEFAULT_EPOCH,
      outDir: join(await tempDir(), "out"),
      onProgress: (p) => seen.push(p),
    });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toEqual({ files: 1, bytesIn: 3 * 1024 * 1024 });
  });

  it("keeps the bytes of a small fixed tree (golden digest: a change here breaks every stored layer key)", async () => {
    const root = await tempDir();
    await mkdir(join(root, "bin"));
    await mkdir(join(root, "lib"));
    await writeFile(join(root, "a.txt"), "hello\n");
    await writeFile(join(root, "bin", "run"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    await symlink("../a.txt", join(root, "lib", "link"));
    const layer = await pack(root, { prefix: "node_modules" });
    expect(layer.entries).toBe(6);
    // The tar alone first: if only the second check fails, the zlib bundled with Node changed its output.
    const tar = createHash("sha256")
      .update(gunzipSync(await readFile(layer.path)))
      .digest("hex");
    expect(tar, "uncompressed tar bytes").toBe(
      "1f4e43af3fb3cd73ac4870aaf9adce063f07a58c86c3153b78d98d5d41110787",
    );
    expect(layer.digest, "compressed layer bytes").toBe(
      "sha256:4b05d57aa4c80cc6787b003fda51f7b8d5734aac5c137edff850cab2003bed60",
    );
  });
});
