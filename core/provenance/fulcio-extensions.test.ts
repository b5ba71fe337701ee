import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { issueCertificate } from "../../test/actions/support/issue-certificate.ts";
import { readFulcioExtensions } from "./fulcio-extensions.ts";

const NAME = { commonName: "test-fulcio", organization: "aether test" };
const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });

function leaf(extra: { oidcIssuer?: string; fulcioExtensions?: Record<string, string> }): X509Certificate {
  return new X509Certificate(
    issueCertificate({
      subjectKey: keys.publicKey,
      issuer: NAME,
      issuerKey: keys.privateKey,
      notBefore: new Date(Date.now() - 1000),
      notAfter: new Date(Date.now() + 60_000),
      ca: false,
      uri: "https://github.com/octo-org/shop/.github/workflows/build.yml@refs/heads/main",
      ...extra,
    }),
  );
}

describe("readFulcioExtensions", () => {
  it("reads a real Fulcio certificate: legacy raw-string extensions and the DER UTF8String ones", async () => {
    const bundle = JSON.parse(
      await readFile(
        new URL("../../test/fixtures/sigstore/reusable-workflow-attestation.sigstore.json", import.meta.url),
        "utf8",
      ),
    ) as { verificationMaterial: { certificate: { rawBytes: string } } };
    const certificate = new X509Certificate(
      Buffer.from(bundle.verificationMaterial.certificate.rawBytes, "base64"),
    );
    expect(readFulcioExtensions(certificate)).toEqual({
      issuer: "https://token.actions.githubusercontent.com",
      githubWorkflowSha: "8304c42402aa3a569882687e0642c359e5a74ac2",
      githubWorkflowRepository: "malancas/attest-demo",
      buildSignerUri: "https://github.com/bdehamer/workflows/.github/workflows/attest.yml@refs/heads/main",
      buildSignerDigest: "0d303fcf197a3844f5dcac3a81574af1bc42c883",
      runnerEnvironment: "github-hosted",
      sourceRepositoryUri: "https://github.com/malancas/attest-demo",
      sourceRepositoryDigest: "8304c42402aa3a569882687e0642c359e5a74ac2",
      sourceRepositoryRef: "refs/heads/main",
      buildConfigUri: "https://github.com/malancas/attest-demo/.github/workflows/shared.yml@refs/heads/main",
    });
  });

  it("prefers the issuer of …1.8 over the legacy …1.1, and ignores OIDs it does not know", () => {
    const certificate = leaf({
      oidcIssuer: "https://legacy.example",
      fulcioExtensions: { "1.3.6.1.4.1.57264.1.8": "https://v2.example", "1.3.6.1.4.1.57264.1.99": "?" },
    });
    expect(readFulcioExtensions(certificate)).toEqual({ issuer: "https://v2.example" });
  });

  it("finds nothing in a certificate without Fulcio extensions", () => {
    expect(readFulcioExtensions(leaf({}))).toEqual({});
  });
});
