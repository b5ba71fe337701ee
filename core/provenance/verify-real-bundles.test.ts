import type { SerializedBundle } from "@sigstore/bundle";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { PUBLIC_GOOD_TRUSTED_ROOT_WHERE } from "./public-good-trusted-root.ts";
import { parseSigstoreTrustedRoots } from "./sigstore-trust-root.ts";
import { verifyProvenance, type VerifyProvenanceRequest } from "./verify-provenance.ts";
import { verifySigstoreBundle } from "./verify-sigstore-bundle.ts";

// Real bundles from real GitHub Actions runs (test/fixtures/sigstore/README.md says where from), verified
// offline against the built-in public-good root: certificate chain, SCT, Rekor SET, inclusion proof and
// checkpoint, DSSE signature, identity, statement.
const fixture = async (name: string) =>
  readFile(new URL(`../../test/fixtures/sigstore/${name}`, import.meta.url), "utf8");
const publicGood = JSON.parse(
  await fixture("reusable-workflow-attestation.sigstore.json"),
) as SerializedBundle;
const github = JSON.parse(await fixture("github_release_bundle.json")) as SerializedBundle;
const roots = parseSigstoreTrustedRoots(await fixture("trusted-roots.jsonl"), "trusted-roots.jsonl");

const WHEEL = "sha256:07e4b8c0e3580b3e4a1eb62c70f1ffb86004d3d94f50767cb404fa7a639b4d05";
const CALLER = "malancas/attest-demo";
const REUSABLE = "https://github.com/bdehamer/workflows/.github/workflows/attest.yml@refs/heads/main";

function check(bundle: SerializedBundle, extra: Partial<VerifyProvenanceRequest> = {}) {
  return verifyProvenance({
    envelope: undefined,
    bundle,
    artifactDigest: WHEEL,
    trustedKeys: [],
    allowedBuilders: ["https://github.com/actions/runner/github-hosted"],
    expectedRepository: CALLER,
    where: "attest-demo.sigstore.json",
    ...extra,
  });
}

function failure(result: ReturnType<typeof check>): { check: string; message: string } {
  if (result.ok) throw new Error("expected verification to fail");
  return result;
}

/** A copy with one base64 field changed in its middle (still valid base64, other bytes). */
function flipped(value: string): string {
  const bytes = Buffer.from(value, "base64");
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}

const copy = (): SerializedBundle => structuredClone(publicGood);

describe("a real public-good bundle (actions/attest-build-provenance, called from a reusable workflow)", () => {
  it("verifies with no setup against the built-in root, naming the caller's repository and the signer", () => {
    const result = check(publicGood);
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({
      builderId: "https://github.com/actions/runner/github-hosted",
      repository: "https://github.com/malancas/attest-demo",
    });
    expect(result.sigstore).toEqual({
      identity: REUSABLE,
      issuer: "https://token.actions.githubusercontent.com",
      signer: REUSABLE,
      trustedRoot: PUBLIC_GOOD_TRUSTED_ROOT_WHERE,
      logIndex: "95781729",
    });
  });

  it("accepts the expected signer workflow, with or without its ref, and refuses another (identity)", () => {
    for (const signerWorkflow of [
      "bdehamer/workflows/.github/workflows/attest.yml",
      "BDehamer/Workflows/.github/workflows/attest.yml@refs/heads/main",
      REUSABLE,
    ]) {
      expect(check(publicGood, { sigstore: { signerWorkflow } }), signerWorkflow).toMatchObject({ ok: true });
    }
    const caller = failure(
      check(publicGood, {
        sigstore: { signerWorkflow: "malancas/attest-demo/.github/workflows/shared.yml" },
      }),
    );
    expect(caller.check).toBe("identity");
    expect(caller.message).toContain(
      "expected the signer workflow https://github.com/malancas/attest-demo/.github/workflows/shared.yml " +
        `(AETHER_SIGSTORE_SIGNER_WORKFLOW), found the certificate's Build Signer URI (1.3.6.1.4.1.57264.1.9) ${REUSABLE}`,
    );
    const otherRef = failure(
      check(publicGood, {
        sigstore: { signerWorkflow: "bdehamer/workflows/.github/workflows/attest.yml@v2" },
      }),
    );
    expect(otherRef.check).toBe("identity");
  });

  it("checks the repository against the Source Repository URI, not the reusable workflow's (identity)", () => {
    const result = failure(check(publicGood, { expectedRepository: "bdehamer/workflows" }));
    expect(result.check).toBe("identity");
    expect(result.message).toBe(
      "attest-demo.sigstore.json: provenance identity check failed: expected a workflow of " +
        "https://github.com/bdehamer/workflows, found the certificate's Source Repository URI " +
        `(1.3.6.1.4.1.57264.1.12) https://github.com/malancas/attest-demo (certificate identity ${REUSABLE})`,
    );
  });

  it("applies the statement checks to it: subject, builder", () => {
    expect(failure(check(publicGood, { artifactDigest: `sha256:${"0".repeat(64)}` })).check).toBe("subject");
    expect(failure(check(publicGood, { allowedBuilders: ["https://aether.dev/builders/local"] })).check).toBe(
      "builder",
    );
  });

  it("rejects tampered copies: statement, DSSE signature, certificate, SET, inclusion proof, log body", () => {
    const statement = copy();
    statement.dsseEnvelope!.payload = Buffer.from(
      Buffer.from(statement.dsseEnvelope!.payload, "base64").toString().replace("attest-demo", "attest-dem0"),
    ).toString("base64");
    expect(failure(check(statement))).toMatchObject({ check: "signature" });

    const signature = copy();
    signature.dsseEnvelope!.signatures[0]!.sig = flipped(signature.dsseEnvelope!.signatures[0]!.sig);
    expect(failure(check(signature)).check).toBe("signature");

    // The last byte is in Fulcio's signature over the certificate: the key, and so the envelope, still verify.
    const certificate = copy();
    const der = Buffer.from(certificate.verificationMaterial.certificate!.rawBytes, "base64");
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    certificate.verificationMaterial.certificate!.rawBytes = der.toString("base64");
    const badChain = failure(check(certificate));
    expect(badChain.check).toBe("certificate");

    const entry = () => copy();
    const set = entry();
    const promise = set.verificationMaterial.tlogEntries[0]!.inclusionPromise!;
    promise.signedEntryTimestamp = flipped(promise.signedEntryTimestamp);
    expect(failure(check(set)).check).toBe("transparency-log");

    const proof = entry();
    const hashes = proof.verificationMaterial.tlogEntries[0]!.inclusionProof!.hashes;
    hashes[3] = flipped(hashes[3]!);
    expect(failure(check(proof)).check).toBe("transparency-log");

    const body = entry();
    const logged = body.verificationMaterial.tlogEntries[0]!;
    logged.canonicalizedBody = Buffer.from(
      Buffer.from(logged.canonicalizedBody, "base64").toString().replace('"payloadHash"', '"payloadHush"'),
    ).toString("base64");
    expect(failure(check(body)).check).toBe("transparency-log");

    const unlogged = entry();
    unlogged.verificationMaterial.tlogEntries = [];
    expect(failure(check(unlogged)).check).toBe("transparency-log");
  });

  it("is not trusted when the built-in root is turned off, or when another root is configured", () => {
    const off = failure(check(publicGood, { sigstore: { publicGood: false } }));
    expect(off.check).toBe("certificate");
    expect(off.message).toContain("no Sigstore trusted root is configured");
    // A configured root wins over the built-in one even when it did not issue the certificate: GitHub's root
    // has no log that vouches for the Rekor entry.
    const githubOnly = failure(check(publicGood, { sigstore: { trustedRoots: roots.slice(1) } }));
    expect(githubOnly.check).toBe("transparency-log");
    expect(githubOnly.message).toContain("(trusted root trusted-roots.jsonl line 2)");
  });

  it("verifies against its line of a `gh attestation trusted-root` file", () => {
    const result = check(publicGood, { sigstore: { trustedRoots: roots } });
    if (!result.ok) throw new Error(result.message);
    expect(result.sigstore?.trustedRoot).toBe("trusted-roots.jsonl line 1");
  });
});

describe("a real bundle from GitHub's own Sigstore instance (private repositories)", () => {
  const verify = (trustedRoots: typeof roots) =>
    verifySigstoreBundle({
      bundle: github,
      trustedRoots,
      identity: {
        oidcIssuers: ["https://token.actions.githubusercontent.com"],
        repository: "bdehamer/delme",
      },
    });

  it("fails with no root configured, saying how to get GitHub's (certificate)", () => {
    const result = verify([]);
    expect(result).toMatchObject({ ok: false, check: "certificate" });
    if (result.ok) return;
    expect(result.detail).toContain(
      "issued by GitHub's Sigstore instance (O=GitHub, Inc., CN=Fulcio Intermediate l1)",
    );
    expect(result.detail).toContain("gh attestation trusted-root > trusted_root.jsonl");
    expect(result.detail).toContain("AETHER_SIGSTORE_TRUSTED_ROOT");
  });

  it("chains to GitHub's line of the trusted roots, with its timestamp, and only then meets the identity check", () => {
    // A release attestation is signed by GitHub itself, not by a workflow: no OIDC issuer, so `identity` is
    // the first check it fails, after the certificate chain and the TSA timestamp have passed.
    expect(verify(roots)).toEqual({
      ok: false,
      check: "identity",
      detail:
        "the certificate was issued for OIDC issuer (none), expected https://token.actions.githubusercontent.com",
    });
  });

  it("names the configured roots when none of them issued the certificate", () => {
    const result = verify(roots.slice(0, 1).concat(roots.slice(0, 1)));
    expect(result).toMatchObject({ ok: false, check: "certificate" });
    if (result.ok) return;
    expect(result.detail).toContain(
      "none of the certificate authorities of the configured trusted roots (trusted-roots.jsonl line 1; " +
        "trusted-roots.jsonl line 1)",
    );
    expect(result.detail).toContain("gh attestation trusted-root");
  });
});
