// Compares our npm SBOMs with the official generator's on the real fixtures: every package URL it
// emits (qualifiers aside) must be in ours. Differences are explained in docs/sbom.md.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSbom } from "./generate-sbom.ts";
import { REAL_FIXTURES, purlSet, runCycloneDxNpm, schemaErrors } from "./sbom-test-kit.ts";

describe("against @cyclonedx/cyclonedx-npm --package-lock-only", () => {
  it.concurrent.each(["parse-server", "playwright"])("emits a superset of its purls for %s", async (name) => {
    const dir = join(REAL_FIXTURES, name);
    const [theirs, ours] = await Promise.all([
      runCycloneDxNpm(dir),
      generateSbom({ dir, app: { name, version: "0.0.0" }, epoch: 0, includeDev: true }),
    ]);
    expect(await schemaErrors(ours)).toBeNull();
    const ourPurls = purlSet(ours);
    const missing = [...purlSet(theirs)].filter((p) => !ourPurls.has(p));
    expect(missing).toEqual([]);
    expect(purlSet(theirs).size).toBeGreaterThan(600);
  });
});
