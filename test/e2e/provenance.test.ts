import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runAether } from "../support/run-aether.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const tempDir = useTempDirs("aether-provenance-");

describe("signed provenance from build to deploy", () => {
  it("signs with AETHER_SIGNING_KEY, verifies, and refuses what does not verify when required", async () => {
    const work = await tempDir();
    await cp(join(EXAMPLES, "static"), join(work, "site"), { recursive: true });
    try {
      const keygen = await runAether(["keygen", "--out", "team", "--json"], { cwd: work });
      expect(keygen.code).toBe(0);
      expect(keygen.stdout).not.toContain("PRIVATE KEY");
      expect((await runAether(["keygen", "--out", "team"], { cwd: work })).code).toBe(1);
      await runAether(["keygen", "--out", "stranger"], { cwd: work });
      const signing = { AETHER_SIGNING_KEY: join(work, "team.key") };

      const signed = await runAether(["deploy", "site", "--env", "prov", "--json"], {
        cwd: work,
        env: signing,
      });
      const report = JSON.parse(signed.stdout) as {
        ok: boolean;
        digest: string;
        provenance: string;
        url: string;
      };
      expect(report).toMatchObject({ ok: true, provenance: "verified" });
      expect(signed.stdout + signed.stderr).not.toContain("PRIVATE KEY");

      const verified = await runAether(["verify", report.digest, "--key", "team.pub"], { cwd: work });
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain("built by https://aether.dev/builders/local");
      const wrongKey = await runAether(["verify", report.digest, "--key", "stranger.pub"], { cwd: work });
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stdout).toContain("signature check failed");
      const wrongRepo = await runAether(
        ["verify", report.digest, "--key", "team.pub", "--repository", "octo/other"],
        {
          cwd: work,
        },
      );
      expect(wrongRepo.stdout).toContain("repository check failed");

      // An unsigned build: deploys labelled unverified, or is refused when provenance is required.
      await writeFile(join(work, "site", "public", "index.html"), "<h1>unsigned</h1>\n");
      const trustOnly = { AETHER_TRUSTED_KEYS: join(work, "team.pub") };
      const refused = await runAether(["deploy", "site", "--env", "prov"], {
        cwd: work,
        env: { ...trustOnly, AETHER_REQUIRE_PROVENANCE: "1" },
      });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/✖ start .*provenance/);
      expect(refused.stdout).toContain("no provenance was found for artifact");
      expect((await fetch(report.url)).status).toBe(200);
      expect(await (await fetch(report.url)).text()).not.toContain("unsigned");
      const allowed = await runAether(["deploy", "site", "--env", "prov", "--json"], {
        cwd: work,
        env: trustOnly,
      });
      expect(JSON.parse(allowed.stdout)).toMatchObject({ ok: true, provenance: "unverified: no provenance" });

      // A tampered attestation is refused.
      const dir = join(work, ".aether", "store", "attestations", "sha256");
      const [file] = await readdir(dir);
      const envelope = JSON.parse(await readFile(join(dir, file!), "utf8")) as { payload: string };
      const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString()) as {
        predicateType: string;
      };
      statement.predicateType = "https://example.com/other";
      envelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
      await writeFile(join(dir, file!), JSON.stringify(envelope) + "\n");
      const tampered = await runAether(["verify", `sha256:${file!.split(".")[0]}`, "--key", "team.pub"], {
        cwd: work,
      });
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toContain("signature check failed");
    } finally {
      await runAether(["destroy", "--env", "prov"], { cwd: work });
    }
  });
});
