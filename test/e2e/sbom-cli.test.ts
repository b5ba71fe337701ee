import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runAether } from "../support/run-aether.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const tempDir = useTempDirs("aether-sbom-cli-");

describe("aether sbom", () => {
  it("writes the same CycloneDX bytes twice, XML on request, and names the broken lockfile", async () => {
    const work = await tempDir();
    await cp(join(EXAMPLES, "node-express"), join(work, "app"), {
      recursive: true,
      filter: (src) => !src.includes("node_modules"),
    });
    const first = await runAether(["sbom", "app", "-o", "one.json"], { cwd: work });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/✔ \d+ components → one\.json/);
    await runAether(["sbom", "app", "-o", "two.json"], { cwd: work });
    const one = await readFile(join(work, "one.json"), "utf8");
    expect(one).toBe(await readFile(join(work, "two.json"), "utf8"));
    const bom = JSON.parse(one) as { specVersion: string; components: { purl: string }[] };
    expect(bom.specVersion).toBe("1.6");
    expect(bom.components.some((c) => /^pkg:npm\/express@5\./.test(c.purl))).toBe(true);
    const xml = await runAether(["sbom", "app", "--format", "xml"], { cwd: work });
    expect(xml.stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<bom xmlns="http:\/\/cyclonedx\.org\/schema\/bom\/1\.6"/,
    );

    await writeFile(
      join(work, "app", "package-lock.json"),
      (await readFile(join(work, "app", "package-lock.json"), "utf8")).slice(0, 400),
    );
    const broken = await runAether(["sbom", "app"], { cwd: work });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("package-lock.json");
    const missing = await runAether(["sbom", "nope"], { cwd: work });
    expect(missing.stderr).toContain("is not a folder");
    const format = await runAether(["sbom", "app", "--format", "spdx"], { cwd: work });
    expect(format.code).toBe(2);
  });
});
