import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSigstoreServers, type SigstoreServers } from "../../test/actions/support/sigstore-servers.ts";
import { sigstoreSignedArtifact, trustedRootFor } from "../../test/provenance/support/sigstore-fixture.ts";
import { memoryCliContext } from "../../test/support/memory-cli-context.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { runCli } from "../run-cli.ts";
import { verifyCommand } from "./verify.ts";

// The sbom action's job in octo-org/shop calls octo-org/workflows' reusable workflow, which signs.
const CALLER = "octo-org/shop";
const SHARED = "octo-org/workflows";
const tempDir = useTempDirs("aether-cli-verify-");
let servers: SigstoreServers;

beforeAll(async () => {
  servers = await startSigstoreServers({
    repository: SHARED,
    fulcioExtensions: { "1.3.6.1.4.1.57264.1.12": `https://github.com/${CALLER}` },
  });
});
afterAll(() => servers.stop());

/** A Sigstore-signed artifact in a folder store, and a `gh attestation trusted-root`-style file for it. */
async function signedArtifact() {
  const work = await tempDir();
  const { digest } = await sigstoreSignedArtifact(servers, { work, repository: CALLER });
  // The public-good root first, as `gh attestation trusted-root` prints it, then the test instance's.
  const publicGood = await readFile(
    new URL("../../core/provenance/public-good-trusted-root.json", import.meta.url),
    "utf8",
  );
  const roots = `${JSON.stringify(JSON.parse(publicGood))}\n${JSON.stringify(trustedRootFor(servers))}\n`;
  await writeFile(join(work, "trusted_root.jsonl"), roots);
  const verify = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const { ctx, out } = memoryCliContext({
      cwd: work,
      env: { AETHER_SIGSTORE_OIDC_ISSUERS: servers.oidc.issuer, ...extraEnv },
    });
    const code = await runCli(["verify", digest, "--store", join(work, "store"), ...args], ctx, [
      verifyCommand,
    ]);
    return { code, stdout: out.stdout, stderr: out.stderr };
  };
  return { verify };
}

describe("aether verify of a Sigstore bundle", () => {
  it("verifies against its line of a --trusted-root JSON-lines file, for the caller's repository", async () => {
    const { verify } = await signedArtifact();
    const ok = await verify(["--trusted-root", "trusted_root.jsonl", "--repository", CALLER, "--json"]);
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout)).toMatchObject({ proceed: true, verified: true });
    // The same file through the environment, and the signing workflow pinned.
    const pinned = await verify(["--signer-workflow", `${SHARED}/.github/workflows/deploy.yml`], {
      AETHER_SIGSTORE_TRUSTED_ROOT: "trusted_root.jsonl",
      AETHER_EXPECTED_REPOSITORY: CALLER,
    });
    expect(pinned.code).toBe(0);
    // People read who signed: the reusable workflow and the root that vouched for it, not a throwaway key.
    expect(pinned.stdout).toMatch(
      /signed by https:\/\/github\.com\/octo-org\/workflows\/\.github\/workflows\/deploy\.yml@\S+ \(Sigstore, .*trusted_root\.jsonl.*\)/,
    );
  });

  it("fails the identity check for another signer workflow (AETHER_SIGSTORE_SIGNER_WORKFLOW)", async () => {
    const { verify } = await signedArtifact();
    const result = await verify(["--trusted-root", "trusted_root.jsonl", "--repository", CALLER], {
      AETHER_SIGSTORE_SIGNER_WORKFLOW: `${SHARED}/.github/workflows/other.yml`,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("identity check failed");
    expect(result.stdout).toContain(
      "expected the signer workflow https://github.com/octo-org/workflows/.github/workflows/other.yml",
    );
  });

  it("without a root for the test instance, fails the certificate check, saying what to set", async () => {
    const { verify } = await signedArtifact();
    const result = await verify(["--repository", CALLER]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("certificate check failed");
    expect(result.stdout).toContain("is not Sigstore's public-good Fulcio (whose root is built in)");
  });

  it("names the --trusted-root file it cannot read", async () => {
    const { verify } = await signedArtifact();
    const result = await verify(["--trusted-root", "missing.jsonl", "--repository", CALLER]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("--trusted-root: cannot read");
    expect(result.stderr).toContain("missing.jsonl (ENOENT)");
  });
});
