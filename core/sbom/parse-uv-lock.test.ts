import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseUvLock } from "./parse-uv-lock.ts";
import { REAL_FIXTURES, catchLockfileError } from "./sbom-test-kit.ts";

const file = join(REAL_FIXTURES, "flask-uv", "uv.lock");

describe("parseUvLock", () => {
  it("reads flask's uv.lock: the project is the root, extras optional, dev groups excluded", async () => {
    const text = await readFile(file, "utf8");
    const lock = await parseUvLock(text, file);
    const get = (name: string) => lock.packages.find((p) => p.name === name)!;
    expect(lock.packages.some((p) => p.name === "flask")).toBe(false);
    expect(get("werkzeug").scope).toBe("required");
    expect(get("markupsafe").scope).toBe("required");
    expect(get("asgiref").scope).toBe("optional");
    expect(get("ruff").scope).toBe("excluded");
    expect(get("werkzeug").dependsOn).toEqual([get("markupsafe").purl]);
    expect(get("werkzeug").hashes.every((h) => h.alg === "SHA-256" && /^[0-9a-f]{64}$/.test(h.content))).toBe(
      true,
    );
    expect(lock.direct).toContain(get("werkzeug").purl);
    // Two versions of sphinx are locked for different Python versions: both are components.
    expect(
      lock.packages
        .filter((p) => p.name === "sphinx")
        .map((p) => p.purl)
        .sort(),
    ).toEqual(["pkg:pypi/sphinx@8.1.3", "pkg:pypi/sphinx@8.2.3"]);
    const line = text.split("\n")[get("werkzeug").source.line];
    expect(line).toBe('name = "werkzeug"');
  });

  it("names the line where a truncated file stops, the version it refuses, the entry missing a version", async () => {
    const text = await readFile(file, "utf8");
    const truncated = await catchLockfileError(() => parseUvLock(text.slice(0, 2000) + '\nname = "x', file));
    expect(truncated.kind).toBe("syntax");
    expect(truncated.line).toBeGreaterThan(20);
    const version = await catchLockfileError(() =>
      parseUvLock(text.replace(/^version = 1$/m, "version = 7"), file),
    );
    expect(version.kind).toBe("unsupported-version");
    const edited = text.replace('name = "blinker"\nversion = "1.9.0"\n', 'name = "blinker"\n');
    const entry = await catchLockfileError(() => parseUvLock(edited, file));
    expect([entry.kind, entry.entry]).toEqual(["invalid-entry", "blinker"]);
    expect(edited.split("\n")[entry.line! - 1]).toBe("[[package]]");
    expect(edited.split("\n")[entry.line!]).toBe('name = "blinker"');
  });
});
