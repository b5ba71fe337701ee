import { createHash, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseSigstoreTrustedRoot, SigstoreTrustedRootError } from "./sigstore-trust-root.ts";

const logKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({
  type: "spki",
  format: "der",
});
// A self-signed CA certificate is not needed to parse: any DER the root lists is read when verifying.
const ROOT = {
  mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
  tlogs: [
    {
      baseUrl: "https://rekor.example",
      hashAlgorithm: "SHA2_256",
      publicKey: { rawBytes: logKey.toString("base64"), keyDetails: "PKIX_ECDSA_P256_SHA_256" },
      logId: { keyId: createHash("sha256").update(logKey).digest("base64") },
    },
  ],
  certificateAuthorities: [] as unknown[],
  ctlogs: [],
  timestampAuthorities: [],
};

describe("parseSigstoreTrustedRoot", () => {
  it("says which file is not a trusted root, and how to get Sigstore's", () => {
    const error = (text: string) => {
      try {
        parseSigstoreTrustedRoot(text, "/etc/aether/trusted_root.json");
      } catch (e) {
        expect(e).toBeInstanceOf(SigstoreTrustedRootError);
        return (e as Error).message;
      }
      throw new Error("expected an error");
    };
    expect(error("{ nope")).toMatch(
      /^\/etc\/aether\/trusted_root\.json: not a Sigstore trusted root: the JSON/,
    );
    expect(error("{ nope")).toContain("gh attestation trusted-root > trusted_root.json");
    expect(error('{"mediaType":"application/json"}')).toContain('mediaType is "application/json"');
    expect(error(JSON.stringify(ROOT))).toContain("lists no certificateAuthorities");
    expect(error(JSON.stringify({ ...ROOT, tlogs: [{ baseUrl: "x" }] }))).toContain("has an unusable entry");
  });
});
