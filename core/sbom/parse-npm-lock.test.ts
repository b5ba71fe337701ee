import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LockfileError } from "./lockfile-error.ts";
import { parseNpmLock } from "./parse-npm-lock.ts";
import type { ParsedLockfile } from "./sbom-model.ts";
import { REAL_FIXTURES, SYNTHETIC_FIXTURES } from "./sbom-test-kit.ts";

async function parseFixture(path: string): Promise<{ lock: ParsedLockfile; text: string }> {
  const text = await readFile(path, "utf8");
  return { lock: parseNpmLock(text, path), text };
}

function byPurl(lock: ParsedLockfile, purl: string) {
  const found = lock.packages.find((p) => p.purl === purl);
  if (!found) throw new Error(`${purl} not in ${lock.packages.map((p) => p.purl).join(", ")}`);
  return found;
}

function thrown(fn: () => unknown): LockfileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LockfileError) return error;
    throw error;
  }
  throw new Error("expected a LockfileError");
}

describe("parseNpmLock v2/v3", () => {
  it("reads aliases, nested node_modules, git, file, link workspaces and bundled dependencies", async () => {
    const { lock, text } = await parseFixture(join(SYNTHETIC_FIXTURES, "npm-v3", "package-lock.json"));
    const express = byPurl(lock, "pkg:npm/express@4.21.0");
    expect(express.name).toBe("express"); // the alias path node_modules/express-alias, the real name
    expect(express.hashes[0]?.alg).toBe("SHA-512");
    expect(express.hashes[0]?.content).toMatch(/^[0-9a-f]{128}$/);
    // Nested debug@2.6.9 resolves its ms from its own nested folder, not the hoisted 2.1.3.
    expect(express.dependsOn).toEqual(["pkg:npm/debug@2.6.9"]);
    expect(byPurl(lock, "pkg:npm/debug@2.6.9").dependsOn).toEqual(["pkg:npm/ms@2.0.0"]);
    expect(byPurl(lock, "pkg:npm/debug@4.3.7").dependsOn).toEqual(["pkg:npm/ms@2.1.3"]);

    const git = lock.packages.find((p) => p.name === "tiny-git")!;
    expect(git.purl).toBe(
      "pkg:npm/tiny-git@1.2.0?vcs_url=git%2Bssh%3A%2F%2Fgit%40github.com%2Facme%2Ftiny-git.git%230123456789abcdef0123456789abcdef01234567",
    );
    expect(git.vcsUrl).toBe(
      "git+ssh://git@github.com/acme/tiny-git.git#0123456789abcdef0123456789abcdef01234567",
    );
    expect(git.licenses).toEqual(["(MIT OR Apache-2.0)"]);
    const bundled = byPurl(lock, "pkg:npm/bundled-dep@1.0.0");
    expect(bundled.properties).toEqual([{ name: "cdx:npm:package:bundled", value: "true" }]);
    expect(git.dependsOn).toEqual([bundled.purl]);

    const tarball = lock.packages.find((p) => p.name === "local-tarball")!;
    expect(tarball.purl).toBe(
      "pkg:npm/local-tarball@1.0.0?download_url=file%3Avendor%2Flocal-tarball-1.0.0.tgz",
    );

    const workspace = byPurl(lock, "pkg:npm/%40mono/web@0.3.0");
    expect(workspace.dependsOn.sort()).toEqual(["pkg:npm/debug@4.3.7", tarball.purl]);

    expect(byPurl(lock, "pkg:npm/fsevents@2.3.3").scope).toBe("optional");
    expect(byPurl(lock, "pkg:npm/vitest-like@1.0.0").scope).toBe("excluded");
    expect(express.scope).toBe("required");
    expect(lock.direct.sort()).toEqual(
      [express.purl, git.purl, "pkg:npm/fsevents@2.3.3", "pkg:npm/vitest-like@1.0.0", workspace.purl].sort(),
    );
    // The recorded line is the line of the entry's key.
    const lines = text.split("\n");
    expect(lines[express.source.line - 1]).toContain('"node_modules/express-alias": {');
  });

  it("reads the parse-server lockfile (v2): one package per purl, lines pointing at each entry", async () => {
    const { lock, text } = await parseFixture(join(REAL_FIXTURES, "parse-server", "package-lock.json"));
    expect(new Set(lock.packages.map((p) => p.purl)).size).toBe(lock.packages.length);
    expect(lock.packages.length).toBe(1485);
    const lines = text.split("\n");
    for (const pkg of lock.packages.slice(0, 200)) {
      expect(lines[pkg.source.line - 1]).toMatch(/^ {4}"[^"]*node_modules\/[^"]+": \{$/);
    }
    const mock = byPurl(lock, "pkg:npm/mock-files-adapter@1.0.0"); // a file: link to spec/dependencies
    expect(mock.scope).toBe("excluded");
    expect(lock.packages.some((p) => p.purl === "pkg:npm/jsonstream@1.3.5")).toBe(true);
  });

  it("reads the playwright lockfile (v3 with workspaces)", async () => {
    const { lock } = await parseFixture(join(REAL_FIXTURES, "playwright", "package-lock.json"));
    const core = byPurl(lock, "pkg:npm/playwright-core@1.63.0-next");
    expect(lock.direct).toContain(core.purl);
    expect(byPurl(lock, "pkg:npm/playwright@1.63.0-next").dependsOn).toContain(core.purl);
  });
});

describe("parseNpmLock v1", () => {
  it("walks the nested dependencies tree with aliases, git and file dependencies", async () => {
    const { lock } = await parseFixture(join(SYNTHETIC_FIXTURES, "npm-v1", "package-lock.json"));
    expect(byPurl(lock, "pkg:npm/debug@2.6.9").dependsOn).toEqual(["pkg:npm/ms@2.0.0"]);
    expect(byPurl(lock, "pkg:npm/ms@2.0.0").hashes).toEqual([
      { alg: "SHA-1", content: "5608aeadfc00be6c2901df5f9861788de0d597c8" },
    ]);
    expect(byPurl(lock, "pkg:npm/lodash@4.17.21").name).toBe("lodash");
    const git = lock.packages.find((p) => p.name === "left-pad")!;
    expect(git.version).toBe("5e0a2d44a2f2d4b5c8d2b1a0f1d2e3c4b5a69788");
    expect(git.vcsUrl).toMatch(/^git\+https:\/\/github.com\/left-pad/);
    expect(lock.packages.find((p) => p.name === "local-lib")!.purl).toBe(
      "pkg:npm/local-lib?download_url=file%3A..%2Flocal-lib",
    );
    expect(byPurl(lock, "pkg:npm/mocha@10.0.0").scope).toBe("excluded");
    expect(lock.direct).toHaveLength(6);
  });
});

describe("parseNpmLock bad input", () => {
  it("names the line where a truncated lockfile stops", async () => {
    const text = (await readFile(join(SYNTHETIC_FIXTURES, "npm-v3", "package-lock.json"), "utf8")).slice(
      0,
      900,
    );
    const error = thrown(() => parseNpmLock(text, "/x/package-lock.json"));
    expect(error.kind).toBe("syntax");
    expect(error.line).toBe(text.split("\n").length);
    expect(error.message).toMatch(/^\/x\/package-lock\.json:\d+: not valid JSON/);
  });

  it("refuses an unknown lockfileVersion, naming its line", () => {
    const text = '{\n  "name": "x",\n  "lockfileVersion": 4,\n  "packages": {}\n}\n';
    const error = thrown(() => parseNpmLock(text, "package-lock.json"));
    expect(error.kind).toBe("unsupported-version");
    expect(error.line).toBe(3);
    expect(error.message).toContain("lockfileVersion 4");
  });

  it("names the file, line and entry of a hand-edited entry without a version", async () => {
    const good = await readFile(join(SYNTHETIC_FIXTURES, "npm-v3", "package-lock.json"), "utf8");
    const text = good.replace('"version": "2.1.3",\n', "");
    const error = thrown(() => parseNpmLock(text, "package-lock.json"));
    expect(error.kind).toBe("invalid-entry");
    expect(error.entry).toBe("node_modules/ms");
    expect(text.split("\n")[error.line! - 1]).toContain('"node_modules/ms": {');
    expect(error.message).toContain("package-lock.json:");
    expect(error.message).toContain('(entry "node_modules/ms")');
  });

  it("names the entry of a v1 lockfile entry without a version", () => {
    const text =
      '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "ms": {\n      "resolved": "x"\n    }\n  }\n}\n';
    const error = thrown(() => parseNpmLock(text, "package-lock.json"));
    expect([error.kind, error.entry, error.line]).toEqual(["invalid-entry", "ms", 4]);
  });

  it("refuses a lockfile that is not an object", () => {
    expect(thrown(() => parseNpmLock("[]", "package-lock.json")).kind).toBe("syntax");
  });
});
