import { cp, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runAether } from "../support/run-aether.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const tempDir = useTempDirs("aether-fetch-");

describe("aether fetch (the init container's command)", () => {
  it("unpacks a verified artifact, and refuses a tampered one leaving nothing behind", async () => {
    const work = await tempDir();
    await cp(join(EXAMPLES, "static"), join(work, "site"), { recursive: true });
    const built = JSON.parse((await runAether(["build", "site", "--json"], { cwd: work })).stdout) as {
      digest: string;
      layers: { digest: string }[];
    };
    const ok = await runAether(["fetch", built.digest, "--into", "out/release"], { cwd: work });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("(1 layer, verified)");
    expect(await readFile(join(work, "out", "release", "public", "index.html"), "utf8")).toContain("static");

    const blob = join(work, ".aether", "store", "blobs", "sha256", built.layers[0]!.digest.slice(7));
    await writeFile(blob, "tampered");
    const bad = await runAether(["fetch", built.digest, "--into", "other"], { cwd: work });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/corrupt|does not match/);
    await expect(stat(join(work, "other"))).rejects.toThrow();

    const usage = await runAether(["fetch", "sha256:xyz", "--into", "x"], { cwd: work });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("is not a sha256 digest");
  });
});
