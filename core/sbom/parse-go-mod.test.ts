import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseGoMod } from "./parse-go-mod.ts";
import { REAL_FIXTURES, SYNTHETIC_FIXTURES, catchLockfileError } from "./sbom-test-kit.ts";

async function parseDir(dir: string) {
  const file = join(dir, "go.mod");
  const text = await readFile(file, "utf8");
  return {
    text,
    lock: parseGoMod({
      text,
      file,
      sum: await readFile(join(dir, "go.sum"), "utf8"),
      sumFile: join(dir, "go.sum"),
    }),
  };
}

describe("parseGoMod", () => {
  it("reads helm's go.mod + go.sum", async () => {
    const { lock, text } = await parseDir(join(REAL_FIXTURES, "helm-go"));
    const semver = lock.packages.find((p) => p.name === "github.com/Masterminds/semver/v3")!;
    expect(semver.purl).toBe("pkg:golang/github.com/Masterminds/semver/v3@v3.5.0");
    expect(lock.direct).toContain(semver.purl);
    expect(text.split("\n")[semver.source.line - 1]).toContain("github.com/Masterminds/semver/v3 v3.5.0");
    expect(semver.properties?.[0]?.name).toBe("aether:go:h1");
    const indirect = lock.packages.filter((p) => !lock.direct.includes(p.purl));
    expect(indirect.length).toBeGreaterThan(50);
  });

  it("separates indirect requirements and applies replace directives", async () => {
    const { lock } = await parseDir(join(SYNTHETIC_FIXTURES, "go"));
    expect(lock.packages.map((p) => p.purl)).toEqual([
      "pkg:golang/github.com/Masterminds/semver/v3@v3.3.0",
      "pkg:golang/golang.org/x/text@v0.18.0",
      "pkg:golang/github.com/new/thing@v1.1.0",
    ]);
    expect(lock.direct).toEqual([
      "pkg:golang/github.com/Masterminds/semver/v3@v3.3.0",
      "pkg:golang/github.com/new/thing@v1.1.0",
    ]);
  });

  it("names the line of a require without a version", async () => {
    const text = "module x\n\nrequire (\n\tgithub.com/a/b\n)\n";
    const error = await catchLockfileError(async () =>
      parseGoMod({ text, file: "go.mod", sum: "", sumFile: "go.sum" }),
    );
    expect([error.kind, error.line, error.entry]).toEqual(["invalid-entry", 4, "github.com/a/b"]);
  });
});
