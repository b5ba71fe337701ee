import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYarnBerry } from "./parse-yarn-berry.ts";
import { SYNTHETIC_FIXTURES, catchLockfileError } from "./sbom-test-kit.ts";

const berryFile = join(SYNTHETIC_FIXTURES, "yarn-berry", "yarn.lock");

describe("parseYarnBerry", () => {
  it("reads the YAML lockfile: real names behind aliases, graph, workspace dependencies as direct", async () => {
    const text = await readFile(berryFile, "utf8");
    const lock = await parseYarnBerry(text, berryFile);
    expect(lock.packages.map((p) => p.purl).sort()).toEqual([
      "pkg:npm/debug@4.3.7",
      "pkg:npm/left-pad@1.3.0",
      "pkg:npm/ms@2.1.3",
    ]);
    const debug = lock.packages.find((p) => p.name === "debug")!;
    expect(debug.dependsOn).toEqual(["pkg:npm/ms@2.1.3"]);
    expect(debug.hashes).toEqual([]); // berry's checksum is of its zip, not of the tarball
    expect(text.split("\n")[debug.source.line - 1]).toBe('"debug@npm:^4.3.0":');
    expect(lock.direct.sort()).toEqual(["pkg:npm/debug@4.3.7", "pkg:npm/left-pad@1.3.0"]);
  });

  it("reports a truncated file with the YAML parser's line, and an entry without a version", async () => {
    const text = await readFile(berryFile, "utf8");
    const truncated = `${text.slice(0, text.indexOf("  checksum: 10c0/1471"))}  dependencies: [oops\n`;
    const syntax = await catchLockfileError(() => parseYarnBerry(truncated, "yarn.lock"));
    expect(syntax.kind).toBe("syntax");
    expect(syntax.line).toBeGreaterThan(15);
    const edited = text.replace("  version: 2.1.3\n", "");
    const entry = await catchLockfileError(() => parseYarnBerry(edited, "yarn.lock"));
    expect([entry.kind, entry.entry]).toEqual(["invalid-entry", "ms@npm:^2.1.3"]);
    expect(edited.split("\n")[entry.line! - 1]).toBe('"ms@npm:^2.1.3":');
  });
});
