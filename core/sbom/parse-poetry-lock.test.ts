import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePoetryLock } from "./parse-poetry-lock.ts";
import { SYNTHETIC_FIXTURES, catchLockfileError } from "./sbom-test-kit.ts";

const file = join(SYNTHETIC_FIXTURES, "poetry", "poetry.lock");

describe("parsePoetryLock", () => {
  it("reads packages, normalised purls, file hashes, categories and the graph", async () => {
    const lock = await parsePoetryLock(await readFile(file, "utf8"), file);
    const get = (name: string) => lock.packages.find((p) => p.name === name)!;
    expect(get("Flask").purl).toBe("pkg:pypi/flask@2.3.2");
    expect(get("Flask").hashes).toHaveLength(2);
    expect(get("Flask").dependsOn.sort()).toEqual([
      "pkg:pypi/jinja2@3.1.2",
      "pkg:pypi/typing-extensions@4.7.1",
    ]);
    expect(get("typing-extensions").scope).toBe("optional");
    expect(get("pytest").scope).toBe("excluded");
    expect(lock.direct.sort()).toEqual(["pkg:pypi/flask@2.3.2", "pkg:pypi/pytest@7.4.0"]);
    expect(get("jinja2").source.line).toBe(19); // its [[package]] header
  });

  it("refuses an unknown lock-version and an entry without a version", async () => {
    const text = await readFile(file, "utf8");
    const version = await catchLockfileError(() =>
      parsePoetryLock(text.replace('lock-version = "2.0"', 'lock-version = "3.0"'), file),
    );
    expect(version.kind).toBe("unsupported-version");
    expect(text.split("\n")[version.line! - 1]).toMatch(/^lock-version/);
    const entry = await catchLockfileError(() =>
      parsePoetryLock(text.replace('version = "3.1.2"\n', ""), file),
    );
    expect([entry.kind, entry.entry, entry.line]).toEqual(["invalid-entry", "jinja2", 19]);
  });
});
