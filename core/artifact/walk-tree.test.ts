import { spawnSync } from "node:child_process";
import { link, mkdir, symlink, writeFile } from "node:fs/promises";

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SymlinkEscapeError, walkTree } from "./walk-tree.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";

const tempDir = useTempDirs("aether-walk-");

async function files(root: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), path);
  }
}

function walk(root: string, exclude: string[] = []): string[] {
  return [...walkTree({ root, exclude })].map(
    (e) => `${e.kind[0]} ${e.path}${e.kind === "symlink" ? ` -> ${e.target}` : ""}`,
  );
}

describe("walkTree", () => {
  it("yields whole paths in byte order, each folder before its contents", async () => {
    const root = await tempDir();
    await files(root, [
      "b.txt",
      "a/x.js",
      "a-b.js",
      "a.js",
      "Z.txt",
      "é.txt",
      "ｚ.txt",
      "😀.txt",
      "a/b/c.txt",
    ]);
    expect(walk(root)).toEqual([
      "f Z.txt",
      "f a-b.js",
      "f a.js",
      "d a",
      "d a/b",
      "f a/b/c.txt",
      "f a/x.js",
      "f b.txt",
      "f é.txt",
      "f ｚ.txt",
      "f 😀.txt",
    ]);
  });

  it("yields symlinks as links, hard links as files, and skips fifos", async () => {
    const root = await tempDir();
    await files(root, ["pkg/bin/cli.js", "data.bin"]);
    await mkdir(join(root, ".bin"));
    await symlink("../pkg/bin/cli.js", join(root, ".bin", "cli"));
    await symlink("pkg", join(root, "alias"));
    await symlink("not-there-yet", join(root, "dangling"));
    await link(join(root, "data.bin"), join(root, "hard.bin"));
    expect(spawnSync("mkfifo", [join(root, "pipe")]).status).toBe(0);
    expect(walk(root)).toEqual([
      "d .bin",
      "s .bin/cli -> ../pkg/bin/cli.js",
      "s alias -> pkg",
      "s dangling -> not-there-yet",
      "f data.bin",
      "f hard.bin",
      "d pkg",
      "d pkg/bin",
      "f pkg/bin/cli.js",
    ]);
  });

  it("leaves out excluded folders with everything in them", async () => {
    const root = await tempDir();
    await files(root, ["src/a.js", "src/node_modules/m/i.js", "node_modules/x.js", ".git/HEAD", ".env"]);
    expect(walk(root, ["node_modules/", ".git/", ".env"])).toEqual(["d src", "f src/a.js"]);
  });

  it.each([
    ["a relative link out", "../../outside", /points outside the tree/],
    ["an absolute link", "/etc/passwd", /has an absolute target \(\/etc\/passwd\); make it relative/],
  ])("refuses %s, naming the link", async (_name, target, message) => {
    const root = await tempDir();
    await mkdir(join(root, "deep"));
    await symlink(target, join(root, "deep", "link"));
    expect(() => walk(root)).toThrow(SymlinkEscapeError);
    expect(() => walk(root)).toThrow(`${join(root, "deep", "link")}: symlink`);
    expect(() => walk(root)).toThrow(message);
  });

  it("refuses links that only escape together (a -> . and b -> a/..)", async () => {
    const root = await tempDir();
    await symlink(".", join(root, "a"));
    await symlink("a/..", join(root, "b"));
    expect(() => walk(root)).toThrow(`${join(root, "b")}: symlink points outside the tree (a/..)`);
  });

  it("says so when the root is not a folder", async () => {
    const root = await tempDir();
    await writeFile(join(root, "f"), "");
    expect(() => walk(join(root, "f"))).toThrow("is not a folder; nothing to pack");
    expect(() => walk(join(root, "missing"))).toThrow(/ENOENT/);
  });
});
