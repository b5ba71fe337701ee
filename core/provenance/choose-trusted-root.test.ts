import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueCertificate } from "../../test/actions/support/issue-certificate.ts";
import { chooseTrustedRoot } from "./choose-trusted-root.ts";
import { publicGoodTrustedRoot } from "./public-good-trusted-root.ts";

const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
const issuedBy = (organization: string) =>
  new X509Certificate(
    issueCertificate({
      subjectKey: keys.publicKey,
      issuer: { commonName: "Fulcio Intermediate l9", organization },
      issuerKey: keys.privateKey,
      notBefore: new Date(Date.now() - 1000),
      notAfter: new Date(Date.now() + 60_000),
      ca: false,
    }),
  );

describe("chooseTrustedRoot", () => {
  const builtIn = publicGoodTrustedRoot();

  it("does not use the public-good root for a certificate its Fulcio did not issue", () => {
    const result = chooseTrustedRoot({ leaf: issuedBy("sigstore.dev"), configured: [], builtIn });
    expect(result).toEqual({
      ok: false,
      detail:
        "no Sigstore trusted root is configured, and the certificate's issuer O=sigstore.dev, " +
        "CN=Fulcio Intermediate l9 is not Sigstore's public-good Fulcio (whose root is built in), so the " +
        "certificate cannot be trusted: set AETHER_SIGSTORE_TRUSTED_ROOT to the trusted_root.json of the " +
        "Sigstore instance that issued it",
    });
  });

  it("says to get GitHub's root for a certificate from GitHub's instance, even with the built-in root off", () => {
    const result = chooseTrustedRoot({ leaf: issuedBy("GitHub, Inc."), configured: [], builtIn: undefined });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toContain("gh attestation trusted-root > trusted_root.jsonl");
  });

  it("hands a single configured root over even when it did not issue the certificate", () => {
    const result = chooseTrustedRoot({ leaf: issuedBy("acme"), configured: [builtIn], builtIn });
    expect(result).toEqual({ ok: true, root: builtIn });
  });
});
