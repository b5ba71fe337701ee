import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LockfileError } from "./lockfile-error.ts";
import { parsePnpmLock } from "./parse-pnpm-lock.ts";
import { SYNTHETIC_FIXTURES } from "./sbom-test-kit.ts";

describe("parsePnpmLock", () => {
  it("reads v9: packages + snapshots, peer suffixes, aliases, git, and dev scope from reachability", async () => {
    const file = join(SYNTHETIC_FIXTURES, "pnpm-v9", "pnpm-lock.yaml");
    const text = await readFile(file, "utf8");
    const lock = await parsePnpmLock(text, file);
    const get = (name: string) => lock.packages.find((p) => p.name === name)!;
    expect(get("react-dom").dependsOn).toEqual(["pkg:npm/react@18.3.1"]);
    expect(get("@scope/util").purl).toBe("pkg:npm/%40scope/util@1.2.0");
    expect(get("@scope/util").hashes[0]?.alg).toBe("SHA-512");
    expect(get("git-thing").vcsUrl).toBe(
      "https://github.com/acme/git-thing.git#0123456789abcdef0123456789abcdef01234567",
    );
    expect(get("@scope/util").dependsOn).toEqual([get("git-thing").purl]);
    expect(get("typescript").scope).toBe("excluded");
    expect(get("react").scope).toBe("required");
    expect(lock.direct.sort()).toEqual([
      "pkg:npm/%40scope/util@1.2.0",
      "pkg:npm/left-pad@1.3.0",
      "pkg:npm/react-dom@18.3.1",
      "pkg:npm/typescript@5.6.3",
    ]);
    expect(text.split("\n")[get("react").source.line - 1]).toBe("  react@18.3.1:");
  });

  it("reads v6 with its dev flags", async () => {
    const file = join(SYNTHETIC_FIXTURES, "pnpm-v6", "pnpm-lock.yaml");
    const lock = await parsePnpmLock(await readFile(file, "utf8"), file);
    const debug = lock.packages.find((p) => p.name === "debug")!;
    expect(debug.scope).toBe("excluded");
    expect(debug.dependsOn).toEqual(["pkg:npm/ms@2.1.3"]);
    expect(lock.direct.sort()).toEqual(["pkg:npm/debug@4.3.7", "pkg:npm/ms@2.1.3"]);
  });

  it("reads v5 keys (/name/version)", async () => {
    const text =
      "lockfileVersion: 5.4\ndependencies:\n  ms: 2.1.3\npackages:\n  /ms/2.1.3:\n    resolution: {integrity: sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g=}\n    dev: false\n";
    const lock = await parsePnpmLock(text, "pnpm-lock.yaml");
    expect(lock.packages.map((p) => p.purl)).toEqual(["pkg:npm/ms@2.1.3"]);
    expect(lock.direct).toEqual(["pkg:npm/ms@2.1.3"]);
  });

  it("refuses an unknown lockfileVersion", async () => {
    const error = await parsePnpmLock("lockfileVersion: '42.0'\n", "pnpm-lock.yaml").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockfileError);
    expect((error as LockfileError).kind).toBe("unsupported-version");
    expect((error as LockfileError).line).toBe(1);
  });
});
