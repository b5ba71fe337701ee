import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { symlinkEscape } from "./symlink-escape.ts";

let root = "";
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aether-escape-"));
  await mkdir(join(root, "pkg", "bin"), { recursive: true });
  await symlink(".", join(root, "self"));
  await symlink("pkg/bin", join(root, "bin"));
  await symlink("loop-b", join(root, "loop-a"));
  await symlink("loop-a", join(root, "loop-b"));
  await symlink("/tmp", join(root, "abs"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function check(link: string, target: string): string | undefined {
  return symlinkEscape({ root, link, target });
}

describe("symlinkEscape", () => {
  it("accepts links that stay inside, dangling ones included", () => {
    expect(check(".bin/tsc", "../pkg/bin/tsc")).toBeUndefined();
    expect(check("x", "pkg/bin/not-there")).toBeUndefined();
    expect(check("pkg/bin/up", "..")).toBeUndefined();
    expect(check("pkg/bin/top", "../..")).toBeUndefined();
    expect(check("x", "bin/..")).toBeUndefined(); // bin -> pkg/bin, so bin/.. is pkg
    expect(check("x", "missing/../pkg")).toBeUndefined();
  });

  it("refuses links that lead outside, directly or through other links", () => {
    expect(check("x", "..")).toMatch(/points outside the tree/);
    expect(check("pkg/bin/x", "../../..")).toMatch(/points outside/);
    expect(check("x", "self/..")).toMatch(/points outside/);
    expect(check("x", "bin/../../..")).toMatch(/points outside/);
    expect(check("x", "missing/../self/..")).toMatch(/points outside/);
    expect(check("x", "abs/x")).toMatch(/leads through abs, which has an absolute target \(\/tmp\)/);
    expect(check("x", "/etc")).toMatch(/has an absolute target/);
  });

  it("refuses loops, empty targets and NUL bytes", () => {
    expect(check("x", "loop-a/f")).toMatch(/symlink loop/);
    expect(check("x", "")).toMatch(/empty target/);
    expect(check("x", "a\0b")).toMatch(/NUL/);
  });
});
