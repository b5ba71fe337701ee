import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseAttestation } from "./parse-attestation.ts";
import { parseEnvelope } from "./parse-envelope.ts";
import { EnvelopeParseError } from "./provenance-errors.ts";

const ENVELOPE = {
  payloadType: "application/vnd.in-toto+json",
  payload: Buffer.from('{"_type":"x"}').toString("base64"),
  signatures: [{ sig: Buffer.from("signature").toString("base64") }],
};
const BUNDLE = {
  mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
  verificationMaterial: {
    certificate: { rawBytes: Buffer.from("certificate").toString("base64") },
    tlogEntries: [],
  },
  dsseEnvelope: ENVELOPE,
};

describe("parseAttestation", () => {
  it("reads a pretty-printed Sigstore bundle, as actions/attest saves one", async () => {
    const text = await readFile(
      new URL("../../test/fixtures/sigstore/reusable-workflow-attestation.sigstore.json", import.meta.url),
      "utf8",
    );
    const attestation = parseAttestation(text, "attest-demo.sigstore.json");
    expect(attestation.kind).toBe("sigstore");
    expect(attestation.envelope.payloadType).toBe("application/vnd.in-toto+json");
  });

  it("reads a DSSE envelope and a Sigstore bundle (whose envelope parseEnvelope also gives)", () => {
    expect(parseAttestation(`${JSON.stringify(ENVELOPE)}\n`, "a")).toEqual({
      kind: "dsse",
      envelope: ENVELOPE,
    });
    expect(parseAttestation(`\n${JSON.stringify(BUNDLE)}\n`, "b")).toEqual({
      kind: "sigstore",
      bundle: BUNDLE,
      envelope: ENVELOPE,
    });
    expect(parseEnvelope(JSON.stringify(BUNDLE), "b")).toEqual(ENVELOPE);
  });

  it("names the source and the bad fields of a broken bundle", () => {
    const broken = { ...BUNDLE, verificationMaterial: { tlogEntries: [] } };
    expect(() => parseAttestation(JSON.stringify(broken), "store s3://b/aether")).toThrow(EnvelopeParseError);
    expect(() => parseAttestation(JSON.stringify(broken), "store s3://b/aether")).toThrow(
      /^store s3:\/\/b\/aether: not a valid Sigstore bundle \(invalid bundle: verificationMaterial\.content\)/,
    );
    const message = { mediaType: BUNDLE.mediaType, verificationMaterial: BUNDLE.verificationMaterial };
    const signature = {
      ...message,
      messageSignature: { messageDigest: { algorithm: "SHA2_256", digest: "AA==" }, signature: "AA==" },
    };
    expect(() => parseAttestation(JSON.stringify(signature), "x")).toThrow(/holds a message signature/);
    expect(() => parseAttestation("{ truncated", "x")).toThrow(
      /x: not a DSSE envelope: the JSON does not parse/,
    );
  });
});
