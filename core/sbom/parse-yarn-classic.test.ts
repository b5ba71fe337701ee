import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYarnClassic } from "./parse-yarn-classic.ts";
import { SYNTHETIC_FIXTURES, catchLockfileError } from "./sbom-test-kit.ts";

const classicFile = join(SYNTHETIC_FIXTURES, "yarn-classic", "yarn.lock");

describe("parseYarnClassic", () => {
  it("reads entries with several specs, aliases, git and the dependency graph", async () => {
    const text = await readFile(classicFile, "utf8");
    const lock = parseYarnClassic(text, classicFile);
    const purls = lock.packages.map((p) => p.purl);
    expect(purls).toContain("pkg:npm/%40babel/highlight@7.25.9");
    expect(purls).toContain("pkg:npm/left-pad@1.3.0"); // my-alias@npm:left-pad
    const jsTokens = lock.packages.find((p) => p.name === "js-tokens")!;
    // No integrity field: the sha1 in the resolved URL's fragment is the hash.
    expect(jsTokens.hashes).toEqual([{ alg: "SHA-1", content: "19203fb59991df98e3a287050d4647cdeaf32499" }]);
    expect(text.split("\n")[jsTokens.source.line - 1]).toMatch(/^js-tokens@\^4\.0\.0/);
    const envify = lock.packages.find((p) => p.name === "loose-envify")!;
    expect(envify.dependsOn).toEqual([jsTokens.purl]); // through the quoted "^3.0.0 || ^4.0.0" spec
    const git = lock.packages.find((p) => p.name === "tiny-git")!;
    expect(git.vcsUrl).toMatch(/^git\+https:/);
    expect(lock.direct).not.toContain(jsTokens.purl);
    expect(lock.direct).toContain(envify.purl);
  });

  it("names the entry and line of an entry without a version", async () => {
    const text = '# yarn lockfile v1\n\n\nms@^2.1.3:\n  resolved "https://x/ms.tgz"\n';
    const error = await catchLockfileError(() => parseYarnClassic(text, "yarn.lock"));
    expect([error.kind, error.line, error.entry]).toEqual(["invalid-entry", 4, "ms@^2.1.3"]);
  });

  it("refuses a file that is not a v1 lockfile and a line that is not an entry", async () => {
    expect((await catchLockfileError(() => parseYarnClassic("hello: world\n", "yarn.lock"))).kind).toBe(
      "unsupported-version",
    );
    const broken = await catchLockfileError(() =>
      parseYarnClassic("# yarn lockfile v1\nms@^2 oops\n", "yarn.lock"),
    );
    expect([broken.kind, broken.line]).toEqual(["syntax", 2]);
  });
});
