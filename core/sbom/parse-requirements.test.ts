import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRequirements } from "./parse-requirements.ts";
import { REAL_FIXTURES, SYNTHETIC_FIXTURES, catchLockfileError } from "./sbom-test-kit.ts";

describe("parseRequirements", () => {
  it("reads pip-compile output (celery example)", async () => {
    const file = join(REAL_FIXTURES, "celery-pip", "requirements.txt");
    const lock = parseRequirements(await readFile(file, "utf8"), file);
    expect(lock.packages.length).toBe(21);
    const celery = lock.packages.find((p) => p.name === "celery")!;
    expect(celery.purl).toBe("pkg:pypi/celery@5.2.7"); // extras are not part of the identity
    expect(lock.direct).toHaveLength(21);
  });

  it("reads hashes over continuation lines, markers, comments and normalises names", async () => {
    const file = join(SYNTHETIC_FIXTURES, "requirements", "requirements.txt");
    const lock = parseRequirements(await readFile(file, "utf8"), file);
    expect(lock.packages.map((p) => [p.purl, p.source.line, p.hashes.length])).toEqual([
      ["pkg:pypi/certifi@2024.8.30", 4, 2],
      ["pkg:pypi/zope-interface@7.1.0", 8, 1],
      ["pkg:pypi/requests@2.32.3", 10, 0],
    ]);
    expect(lock.packages[0]!.hashes[0]).toEqual({
      alg: "SHA-256",
      content: "922820b53db7a7257ffbda3f597266d435245903d80737e34f8a45ff3e3230d8",
    });
  });

  it("refuses an unpinned requirement, naming its line", async () => {
    const error = await catchLockfileError(async () =>
      parseRequirements("flask==2.3.2\nrequests>=2\n", "requirements.txt"),
    );
    expect([error.kind, error.line, error.entry]).toEqual(["invalid-entry", 2, "requests>=2"]);
  });
});
