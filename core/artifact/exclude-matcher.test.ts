import { describe, expect, it } from "vitest";
import { excludeMatcher } from "./exclude-matcher.ts";

describe("excludeMatcher", () => {
  const excluded = excludeMatcher(["node_modules/", ".git/", ".env", "./dist/cache", "build/tmp/"]);

  it("matches folder names at any depth, folders only", () => {
    expect(excluded("node_modules", "node_modules", true)).toBe(true);
    expect(excluded("a/b/node_modules", "node_modules", true)).toBe(true);
    expect(excluded("a/.git", ".git", true)).toBe(true);
    expect(excluded("a/node_modules", "node_modules", false)).toBe(false);
    expect(excluded("node_modules_old", "node_modules_old", true)).toBe(false);
  });

  it("matches relative paths exactly, of any kind, and folder paths when they end in /", () => {
    expect(excluded(".env", ".env", false)).toBe(true);
    expect(excluded("src/.env", ".env", false)).toBe(false);
    expect(excluded("dist/cache", "cache", true)).toBe(true);
    expect(excluded("dist/cache", "cache", false)).toBe(true);
    expect(excluded("build/tmp", "tmp", true)).toBe(true);
    expect(excluded("build/tmp", "tmp", false)).toBe(false);
    expect(excluded("x/build/tmp", "tmp", true)).toBe(false);
  });

  it("matches nothing without rules", () => {
    expect(excludeMatcher([])("anything", "anything", true)).toBe(false);
  });

  it.each(["/etc", "../up", "a/../b", "", "/", "a//b"])("refuses the rule %j", (rule) => {
    expect(() => excludeMatcher([rule])).toThrow(`exclude rule "${rule}" is not a relative path`);
  });
});
