import type { SerializedBundle } from "@sigstore/bundle";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestOf } from "../../core/artifact/digest.ts";
import {
  parseSigstoreTrustedRoot,
  type SigstoreTrustedRoot,
} from "../../core/provenance/sigstore-trust-root.ts";
import { verifyProvenance, type VerifyProvenanceRequest } from "../../core/provenance/verify-provenance.ts";
import { startSigstoreServers, type SigstoreServers } from "../actions/support/sigstore-servers.ts";
import { githubStatement, HOSTED, signWithSigstore, trustedRootFor } from "./support/sigstore-fixture.ts";

const REPOSITORY = "octo-org/shop";
const ARTIFACT = digestOf("manifest bytes");
const SBOM = digestOf("sbom bytes");

let servers: SigstoreServers;
let stranger: SigstoreServers;
let root: SigstoreTrustedRoot;
let good: SerializedBundle;

beforeAll(async () => {
  [servers, stranger] = await Promise.all([
    startSigstoreServers({ repository: REPOSITORY }),
    startSigstoreServers({ repository: REPOSITORY }),
  ]);
  root = parseSigstoreTrustedRoot(JSON.stringify(trustedRootFor(servers)), "trusted_root.json");
  good = await signWithSigstore(
    servers,
    githubStatement({ repository: REPOSITORY, artifact: ARTIFACT, sbom: SBOM }),
  );
});
afterAll(() => Promise.all([servers.stop(), stranger.stop()]));

function check(bundle: SerializedBundle, extra: Partial<VerifyProvenanceRequest> = {}) {
  return verifyProvenance({
    envelope: undefined,
    bundle,
    sigstore: { trustedRoot: root, oidcIssuers: [servers.oidc.issuer] },
    artifactDigest: ARTIFACT,
    sbomDigest: SBOM,
    trustedKeys: [],
    allowedBuilders: [HOSTED],
    expectedRepository: REPOSITORY,
    where: "store .aether/store",
    ...extra,
  });
}

function failure(result: ReturnType<typeof check>): { check: string; message: string } {
  if (result.ok) throw new Error("expected verification to fail");
  return result;
}

/** A deep copy to tamper with. */
function copy(bundle: SerializedBundle): SerializedBundle {
  return structuredClone(bundle);
}

describe("verifyProvenance with a Sigstore bundle", () => {
  it("accepts a bundle signed by a workflow of the expected repository, with its identity and log entry", () => {
    const result = check(good);
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({ builderId: HOSTED, repository: "https://github.com/octo-org/shop" });
    expect(result.sigstore).toEqual({
      identity: "https://github.com/octo-org/shop/.github/workflows/deploy.yml@refs/heads/main",
      issuer: servers.oidc.issuer,
      signer: "https://github.com/octo-org/shop/.github/workflows/deploy.yml@refs/heads/main",
      trustedRoot: "trusted_root.json",
      logIndex: String(servers.requests.entries[0]?.logIndex),
    });
    expect(result.keyid).toMatch(/^[0-9a-f]{64}$/);
  });

  it("takes the expected repository from the Sigstore options when none is given", () => {
    const sigstore = { trustedRoot: root, oidcIssuers: [servers.oidc.issuer], repository: REPOSITORY };
    expect(check(good, { expectedRepository: undefined, sigstore })).toMatchObject({ ok: true });
    const none = failure(check(good, { expectedRepository: undefined }));
    expect(none.check).toBe("identity");
    expect(none.message).toContain("no expected repository is set");
  });

  it("rejects a certificate issued to another repository's workflow (identity)", () => {
    const result = failure(check(good, { expectedRepository: "octo-org/other" }));
    expect(result.check).toBe("identity");
    expect(result.message).toBe(
      "store .aether/store: provenance identity check failed: expected a workflow of " +
        "https://github.com/octo-org/other, found the certificate identity " +
        "https://github.com/octo-org/shop/.github/workflows/deploy.yml@refs/heads/main",
    );
  });

  it("rejects a certificate for another OIDC issuer (identity)", () => {
    const result = failure(check(good, { sigstore: { trustedRoot: root } }));
    expect(result.check).toBe("identity");
    expect(result.message).toContain(
      `issued for OIDC issuer ${servers.oidc.issuer}, expected https://token.actions.githubusercontent.com`,
    );
  });

  it("rejects a statement whose source is not the signing workflow's repository (repository)", async () => {
    const forged = await signWithSigstore(
      servers,
      githubStatement({ repository: "octo-org/other", artifact: ARTIFACT, sbom: SBOM }),
    );
    const result = failure(
      check(forged, {
        expectedRepository: undefined,
        sigstore: {
          trustedRoot: root,
          oidcIssuers: [servers.oidc.issuer],
          repository: REPOSITORY,
        },
      }),
    );
    expect(result.check).toBe("repository");
    expect(result.message).toContain(
      "expected source https://github.com/octo-org/shop, found https://github.com/octo-org/other",
    );
  });

  it("rejects a certificate from another certificate authority (certificate)", async () => {
    const foreign = await signWithSigstore(
      stranger,
      githubStatement({ repository: REPOSITORY, artifact: ARTIFACT, sbom: SBOM }),
    );
    // The log entry is from a log the root does not trust either: vouch for it, so the CA is what fails.
    const both = parseSigstoreTrustedRoot(
      JSON.stringify({
        ...trustedRootFor(servers),
        tlogs: (trustedRootFor(stranger) as { tlogs: unknown[] }).tlogs,
      }),
      "mixed_root.json",
    );
    const result = failure(
      check(foreign, { sigstore: { trustedRoot: both, oidcIssuers: [stranger.oidc.issuer] } }),
    );
    expect(result.check).toBe("certificate");
    expect(result.message).toContain("Failed to verify certificate chain");
    expect(result.message).toContain("mixed_root.json");
  });

  it("rejects a log entry from a log the root does not trust (transparency-log)", async () => {
    const foreign = await signWithSigstore(
      stranger,
      githubStatement({ repository: REPOSITORY, artifact: ARTIFACT, sbom: SBOM }),
    );
    expect(failure(check(foreign)).check).toBe("transparency-log");
  });

  it("rejects a statement changed after signing (signature)", () => {
    const tampered = copy(good);
    const envelope = tampered.dsseEnvelope!;
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString()) as {
      subject: { digest: { sha256: string } }[];
    };
    statement.subject[0]!.digest.sha256 = digestOf("another artifact").slice(7);
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
    const result = failure(check(tampered, { artifactDigest: digestOf("another artifact") }));
    expect(result.check).toBe("signature");
    expect(result.message).toContain("the statement was changed after signing");
  });

  it("rejects a tampered transparency log entry (transparency-log)", () => {
    const later = copy(good);
    const entry = later.verificationMaterial.tlogEntries[0]!;
    entry.integratedTime = String(Number(entry.integratedTime) + 1);
    const moved = failure(check(later));
    expect(moved.check).toBe("transparency-log");
    expect(moved.message).toContain("inclusion promise could not be verified");

    const swapped = copy(good);
    const body = JSON.parse(
      Buffer.from(swapped.verificationMaterial.tlogEntries[0]!.canonicalizedBody, "base64").toString(),
    ) as { spec: { payloadHash: { value: string } } };
    body.spec.payloadHash.value = "0".repeat(64);
    swapped.verificationMaterial.tlogEntries[0]!.canonicalizedBody = Buffer.from(
      JSON.stringify(body),
    ).toString("base64");
    expect(failure(check(swapped)).check).toBe("transparency-log");

    const unlogged = copy(good);
    unlogged.verificationMaterial.tlogEntries = [];
    expect(failure(check(unlogged)).check).toBe("transparency-log");
  });

  it("fails the certificate check, saying what to set, when no trusted root is configured", () => {
    const result = failure(check(good, { sigstore: { oidcIssuers: [servers.oidc.issuer] } }));
    expect(result.check).toBe("certificate");
    expect(result.message).toContain("AETHER_SIGSTORE_TRUSTED_ROOT");
  });

  it("applies the statement checks: artifact and SBOM subjects, builder", () => {
    expect(failure(check(good, { artifactDigest: digestOf("other") })).check).toBe("subject");
    expect(failure(check(good, { sbomDigest: digestOf("other sbom") })).check).toBe("sbom-subject");
    expect(failure(check(good, { allowedBuilders: ["https://aether.dev/builders/local"] })).check).toBe(
      "builder",
    );
  });
});
