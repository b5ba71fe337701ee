import { describe, expect, it } from "vitest";
import { matchBranchPolicies, matchesRefPattern } from "./branch-policy-match.ts";

describe("matchesRefPattern", () => {
  it("matches a literal name exactly, not a prefix or suffix", () => {
    expect(matchesRefPattern("main", "main")).toBe(true);
    expect(matchesRefPattern("main", "main2")).toBe(false);
    expect(matchesRefPattern("main", "xmain")).toBe(false);
    expect(matchesRefPattern("main", "Main")).toBe(false);
  });

  it("lets * match within one path segment only", () => {
    expect(matchesRefPattern("release/*", "release/1.0")).toBe(true);
    expect(matchesRefPattern("release/*", "release/")).toBe(true);
    expect(matchesRefPattern("release/*", "release/1.0/hotfix")).toBe(false);
    expect(matchesRefPattern("release/*/*", "release/1.0/hotfix")).toBe(true);
    expect(matchesRefPattern("*", "feature/x")).toBe(false);
    expect(matchesRefPattern("*", "main")).toBe(true);
  });

  it("lets ** match across segments, and **/ match no segment too", () => {
    expect(matchesRefPattern("release/**", "release/1.0/hotfix")).toBe(true);
    expect(matchesRefPattern("**", "any/thing/at/all")).toBe(true);
    expect(matchesRefPattern("release/**/final", "release/final")).toBe(true);
    expect(matchesRefPattern("release/**/final", "release/a/b/final")).toBe(true);
    expect(matchesRefPattern("release/**/final", "release/a/b/finale")).toBe(false);
  });

  it("reads ?, character classes, negated classes and escapes", () => {
    expect(matchesRefPattern("v?", "v1")).toBe(true);
    expect(matchesRefPattern("v?", "v/")).toBe(false);
    expect(matchesRefPattern("v[0-9]", "v7")).toBe(true);
    expect(matchesRefPattern("v[0-9]", "vx")).toBe(false);
    expect(matchesRefPattern("v[!0-9]", "vx")).toBe(true);
    expect(matchesRefPattern("v[^0-9]", "v7")).toBe(false);
    expect(matchesRefPattern("a[!b]c", "a/c")).toBe(false);
    expect(matchesRefPattern("a[]]c", "a]c")).toBe(true);
    expect(matchesRefPattern("a\\*", "a*")).toBe(true);
    expect(matchesRefPattern("a\\*", "ab")).toBe(false);
    expect(matchesRefPattern("a[b", "a[b")).toBe(true);
  });

  it("treats regular-expression characters as plain text", () => {
    expect(matchesRefPattern("v1.0", "v1.0")).toBe(true);
    expect(matchesRefPattern("v1.0", "v1x0")).toBe(false);
    expect(matchesRefPattern("fix+(x)", "fix+(x)")).toBe(true);
    expect(matchesRefPattern("a$", "a$")).toBe(true);
  });
});

describe("matchBranchPolicies", () => {
  const policies = [
    { name: "main", type: "branch" as const },
    { name: "release/*", type: "branch" as const },
    { name: "v*", type: "tag" as const },
  ];

  it("names the first pattern that lets the branch deploy", () => {
    expect(matchBranchPolicies({ kind: "branch", name: "release/2.1" }, policies)).toEqual({
      ok: true,
      pattern: "release/*",
    });
  });

  it("never matches a branch against a tag policy, nor a tag against a branch policy", () => {
    expect(matchBranchPolicies({ kind: "branch", name: "v1" }, policies)).toEqual({ ok: false });
    expect(matchBranchPolicies({ kind: "tag", name: "main" }, policies)).toEqual({ ok: false });
    expect(matchBranchPolicies({ kind: "tag", name: "v1" }, policies)).toEqual({ ok: true, pattern: "v*" });
  });

  it("reads a policy without a type as a branch policy, and no policies as nothing allowed", () => {
    expect(matchBranchPolicies({ kind: "branch", name: "dev" }, [{ name: "dev" }])).toEqual({
      ok: true,
      pattern: "dev",
    });
    expect(matchBranchPolicies({ kind: "branch", name: "main" }, [])).toEqual({ ok: false });
  });
});
