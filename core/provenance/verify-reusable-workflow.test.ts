import type { SerializedBundle } from "@sigstore/bundle";
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSigstoreServers, type SigstoreServers } from "../../test/actions/support/sigstore-servers.ts";
import {
  githubStatement,
  HOSTED,
  signWithSigstore,
  trustedRootFor,
} from "../../test/provenance/support/sigstore-fixture.ts";
import { digestOf } from "../artifact/digest.ts";
import { readFulcioExtensions } from "./fulcio-extensions.ts";
import { parseSigstoreTrustedRoot } from "./sigstore-trust-root.ts";
import { verifyProvenance, type VerifyProvenanceRequest } from "./verify-provenance.ts";

// A job of octo-org/shop that calls octo-org/workflows' reusable build workflow, as Fulcio certifies it: the
// SAN and Build Signer URI name the reusable workflow, the Source Repository extensions name the caller.
const CALLER = "octo-org/shop";
const SHARED = "octo-org/workflows";
/** The commit githubStatement() names (its GITHUB_SHA). */
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const SIGNER = `https://github.com/${SHARED}/.github/workflows/deploy.yml@refs/heads/main`;
const ARTIFACT = digestOf("manifest bytes");
const SBOM = digestOf("sbom bytes");

const extensionsFor = (digest: string) => ({
  "1.3.6.1.4.1.57264.1.9": SIGNER,
  "1.3.6.1.4.1.57264.1.11": "github-hosted",
  "1.3.6.1.4.1.57264.1.12": `https://github.com/${CALLER}`,
  "1.3.6.1.4.1.57264.1.13": digest,
  "1.3.6.1.4.1.57264.1.14": "refs/heads/main",
  "1.3.6.1.4.1.57264.1.18": `https://github.com/${CALLER}/.github/workflows/release.yml@refs/heads/main`,
});

let servers: SigstoreServers;
let otherCommit: SigstoreServers;
let good: SerializedBundle;
let built: SerializedBundle;

beforeAll(async () => {
  [servers, otherCommit] = await Promise.all([
    startSigstoreServers({ repository: SHARED, fulcioExtensions: extensionsFor(COMMIT) }),
    startSigstoreServers({ repository: SHARED, fulcioExtensions: extensionsFor("f".repeat(40)) }),
  ]);
  const statement = githubStatement({ repository: CALLER, artifact: ARTIFACT, sbom: SBOM });
  [good, built] = await Promise.all([
    signWithSigstore(servers, statement),
    signWithSigstore(otherCommit, statement),
  ]);
});
afterAll(() => Promise.all([servers.stop(), otherCommit.stop()]));

function check(bundle: SerializedBundle, extra: Partial<VerifyProvenanceRequest> = {}, from = servers) {
  const trustedRoot = parseSigstoreTrustedRoot(JSON.stringify(trustedRootFor(from)), "trusted_root.json");
  return verifyProvenance({
    envelope: undefined,
    bundle,
    artifactDigest: ARTIFACT,
    sbomDigest: SBOM,
    trustedKeys: [],
    allowedBuilders: [HOSTED],
    expectedRepository: CALLER,
    where: "store .aether/store",
    ...extra,
    sigstore: { trustedRoot, oidcIssuers: [from.oidc.issuer], ...extra.sigstore },
  });
}

function failure(result: ReturnType<typeof check>): { check: string; message: string } {
  if (result.ok) throw new Error("expected verification to fail");
  return result;
}

describe("verifyProvenance of a bundle signed by a reusable workflow", () => {
  it("writes the extensions Fulcio would into the test certificate", () => {
    const leaf = new X509Certificate(Buffer.from(good.verificationMaterial.certificate!.rawBytes, "base64"));
    expect(readFulcioExtensions(leaf)).toEqual({
      issuer: servers.oidc.issuer,
      buildSignerUri: SIGNER,
      runnerEnvironment: "github-hosted",
      sourceRepositoryUri: "https://github.com/octo-org/shop",
      sourceRepositoryDigest: COMMIT,
      sourceRepositoryRef: "refs/heads/main",
      buildConfigUri: "https://github.com/octo-org/shop/.github/workflows/release.yml@refs/heads/main",
    });
  });

  it("accepts the caller's repository, and the shared workflow as signer", () => {
    const result = check(good, { sigstore: { signerWorkflow: `${SHARED}/.github/workflows/deploy.yml` } });
    if (!result.ok) throw new Error(result.message);
    expect(result.repository).toBe("https://github.com/octo-org/shop");
    expect(result.sigstore).toMatchObject({
      identity: SIGNER,
      signer: SIGNER,
      trustedRoot: "trusted_root.json",
    });
  });

  it("takes the caller's repository from the certificate when none is expected", () => {
    const result = check(good, { expectedRepository: undefined, sigstore: { repository: CALLER } });
    expect(result).toMatchObject({ ok: true, repository: "https://github.com/octo-org/shop" });
  });

  it("rejects the reusable workflow's repository as the source (identity: Source Repository URI)", () => {
    const result = failure(check(good, { expectedRepository: SHARED }));
    expect(result.check).toBe("identity");
    expect(result.message).toBe(
      "store .aether/store: provenance identity check failed: expected a workflow of " +
        "https://github.com/octo-org/workflows, found the certificate's Source Repository URI " +
        `(1.3.6.1.4.1.57264.1.12) https://github.com/octo-org/shop (certificate identity ${SIGNER})`,
    );
  });

  it("rejects another signer workflow (identity: Build Signer URI)", () => {
    const result = failure(
      check(good, {
        sigstore: { signerWorkflow: `${SHARED}/.github/workflows/release.yml@refs/heads/main` },
      }),
    );
    expect(result.check).toBe("identity");
    expect(result.message).toContain(
      "expected the signer workflow https://github.com/octo-org/workflows/.github/workflows/release.yml@refs/heads/main " +
        `(AETHER_SIGSTORE_SIGNER_WORKFLOW), found the certificate's Build Signer URI (1.3.6.1.4.1.57264.1.9) ${SIGNER}`,
    );
  });

  it("rejects a statement whose commit is not the one the run built (repository: Source Repository Digest)", () => {
    const result = failure(check(built, {}, otherCommit));
    expect(result.check).toBe("repository");
    expect(result.message).toBe(
      `store .aether/store: provenance repository check failed: the statement names source commit ${COMMIT}, ` +
        `but the certificate's Source Repository Digest (1.3.6.1.4.1.57264.1.13) is ${"f".repeat(40)}: ` +
        "the run that signed built another commit",
    );
  });
});
