import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryCliContext } from "../support/memory-cli-context.ts";
import type { Digest } from "../../core/artifact/digest.ts";
import { releaseArtifact } from "../../core/pipeline/release-artifact.ts";
import { verifyCommand } from "../../cli/commands/verify.ts";
import { provenanceSetup } from "../../cli/provenance-setup.ts";
import { runCli } from "../../cli/run-cli.ts";
import { startSigstoreServers, type SigstoreServers } from "../actions/support/sigstore-servers.ts";
import { useTempDirs } from "../support/temp-dirs.ts";
import { sigstoreSignedArtifact, trustedRootFor } from "./support/sigstore-fixture.ts";

const REPOSITORY = "octo-org/shop";
const tempDir = useTempDirs("aether-sigstore-deploy-");
let servers: SigstoreServers;

beforeAll(async () => {
  servers = await startSigstoreServers({ repository: REPOSITORY });
});
afterAll(() => servers.stop());

/** An artifact with an SBOM in a folder store, its provenance signed and stored by the sbom action's code. */
async function signedArtifact() {
  const work = await tempDir();
  const { store, digest, manifest, signed } = await sigstoreSignedArtifact(servers, {
    work,
    repository: REPOSITORY,
  });
  const rootPath = join(work, "trusted_root.json");
  await writeFile(rootPath, JSON.stringify(trustedRootFor(servers)));
  const deployEnv = {
    AETHER_REQUIRE_PROVENANCE: "1",
    AETHER_SIGSTORE_TRUSTED_ROOT: rootPath,
    AETHER_SIGSTORE_OIDC_ISSUERS: servers.oidc.issuer,
    AETHER_EXPECTED_REPOSITORY: REPOSITORY,
  };
  return { work, store, digest, manifest, signed, deployEnv };
}

const context = (cwd: string, env: Record<string, string>) => memoryCliContext({ cwd, env });

/** Changes the signed statement inside the stored bundle (its builder id), keeping the signature. */
async function tamperStoredBundle(storeDir: string): Promise<void> {
  const dir = join(storeDir, "attestations", "sha256");
  const [file] = await readdir(dir);
  const path = join(dir, file!);
  const bundle = JSON.parse(await readFile(path, "utf8")) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, "base64").toString()) as {
    predicate: { runDetails: { builder: { id: string } } };
  };
  statement.predicate.runDetails.builder.id = "https://github.com/actions/runner/github-hosted ";
  bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
  await writeFile(path, `${JSON.stringify(bundle)}\n`);
}

describe("deploying a Sigstore-signed artifact with AETHER_REQUIRE_PROVENANCE=1", () => {
  it("`aether verify` accepts the bundle the sbom action stored, and refuses it once tampered", async () => {
    const { work, digest, signed, deployEnv } = await signedArtifact();
    expect(signed).toMatchObject({ signer: "sigstore", verified: true });
    const storeDir = join(work, "store");

    const good = context(work, deployEnv);
    expect(await runCli(["verify", digest, "--store", storeDir, "--json"], good.ctx, [verifyCommand])).toBe(
      0,
    );
    expect(JSON.parse(good.out.stdout)).toMatchObject({ digest, proceed: true, verified: true });

    const noRoot = context(work, { ...deployEnv, AETHER_SIGSTORE_TRUSTED_ROOT: "" });
    expect(await runCli(["verify", digest, "--store", storeDir], noRoot.ctx, [verifyCommand])).toBe(1);
    expect(noRoot.out.stdout).toContain("certificate check failed");

    const otherRepo = context(work, { ...deployEnv, AETHER_EXPECTED_REPOSITORY: "octo-org/other" });
    expect(await runCli(["verify", digest, "--store", storeDir], otherRepo.ctx, [verifyCommand])).toBe(1);
    expect(otherRepo.out.stdout).toContain("identity check failed");

    await tamperStoredBundle(storeDir);
    const bad = context(work, deployEnv);
    expect(await runCli(["verify", digest, "--store", storeDir], bad.ctx, [verifyCommand])).toBe(1);
    expect(bad.out.stdout).toContain("signature check failed");
    expect(bad.out.stdout).toContain("the statement was changed after signing");
  });

  it("the release refuses a tampered Sigstore-signed artifact before starting anything", async () => {
    const { work, store, digest, manifest, deployEnv } = await signedArtifact();
    const { requirements } = await provenanceSetup(context(work, deployEnv).ctx);
    expect(requirements.required).toBe(true);
    const release = (d: Digest) =>
      releaseArtifact({
        store,
        digest: d,
        manifest,
        stateDir: join(work, ".aether"),
        envName: "prod",
        launchSupervisor: () => {
          throw new Error("nothing may start for a refused artifact");
        },
        onEvent: () => undefined,
        clock: () => 0,
        provenance: requirements,
      });
    // Untampered, provenance passes and the release goes on to unpack (whose layers this store lacks).
    const passed = await release(digest);
    if (passed.ok) throw new Error("expected unpacking to fail");
    expect(passed.message).toContain("could not unpack the artifact");
    await tamperStoredBundle(join(work, "store"));
    const outcome = await release(digest);
    expect(outcome).toMatchObject({ ok: false, phase: "start" });
    if (outcome.ok) throw new Error("expected the release to be refused");
    expect(outcome.message).toContain("provenance signature check failed");
    expect(outcome.message).toContain("Deploy refused because provenance is required");
  });
});
