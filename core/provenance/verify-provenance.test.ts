import { generateKeyPairSync, sign } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { buildContextFromEnv } from "./build-context-from-env.ts";
import { createEd25519Signer } from "./create-ed25519-signer.ts";
import { createStatement } from "./create-statement.ts";
import { generateSigningKey } from "./generate-signing-key.ts";
import { pae } from "./pae.ts";
import { TrustedKeyError } from "./provenance-errors.ts";
import type { DsseEnvelope, ProvenanceStatement } from "./provenance-types.ts";
import { parseEnvelope } from "./parse-envelope.ts";
import { encodeEnvelope, encodeStatement, signStatement } from "./sign-statement.ts";
import { verifyProvenance, type VerifyProvenanceRequest } from "./verify-provenance.ts";

const tempDir = useTempDirs("aether-provenance-verify-");
const ARTIFACT = digestOf("manifest bytes");
const SBOM = digestOf("sbom bytes");
const HOSTED = "https://github.com/actions/runner/github-hosted";
const KEY = generateSigningKey();
const ENV = {
  GITHUB_ACTIONS: "true",
  GITHUB_REPOSITORY: "octo-org/shop",
  GITHUB_REF: "refs/heads/main",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_RUN_ID: "42",
  RUNNER_ENVIRONMENT: "github-hosted",
};

function statement(overrides: { artifact?: Digest; sbom?: Digest } = {}): ProvenanceStatement {
  return createStatement({
    subjects: [
      { name: "shop", digest: overrides.artifact ?? ARTIFACT },
      { name: "shop.cdx.json", digest: overrides.sbom ?? SBOM },
    ],
    ...buildContextFromEnv(ENV, { hostname: "h", user: "u" }),
  });
}

async function signed(s: ProvenanceStatement = statement(), pem = KEY.privateKeyPem): Promise<DsseEnvelope> {
  return signStatement(s, createEd25519Signer(pem, "test key"));
}

function check(envelope: DsseEnvelope | undefined, extra: Partial<VerifyProvenanceRequest> = {}) {
  return verifyProvenance({
    envelope,
    artifactDigest: ARTIFACT,
    sbomDigest: SBOM,
    trustedKeys: [KEY.publicKeyPem],
    allowedBuilders: [HOSTED],
    expectedRepository: "octo-org/shop",
    ...extra,
  });
}

function failure(result: ReturnType<typeof check>): { check: string; message: string } {
  if (result.ok) throw new Error("expected verification to fail");
  return result;
}

describe("verifyProvenance", () => {
  it("accepts a good statement signed by a trusted key", async () => {
    const result = check(await signed());
    expect(result).toMatchObject({ ok: true, keyid: KEY.keyid, builderId: HOSTED });
    if (!result.ok) throw new Error(result.message);
    expect(result.repository).toBe("https://github.com/octo-org/shop");
    expect(result.statement.predicate.buildDefinition.resolvedDependencies?.[0]?.digest?.["gitCommit"]).toBe(
      ENV.GITHUB_SHA,
    );
  });

  it("accepts an envelope written to a file and read back, in either base64 alphabet", async () => {
    const file = join(await tempDir(), "shop.intoto.jsonl");
    await writeFile(file, encodeEnvelope(await signed()));
    const envelope = parseEnvelope(await readFile(file, "utf8"), file);
    expect(check(envelope)).toMatchObject({ ok: true, keyid: KEY.keyid });
    const urlSafe = (b64: string) => Buffer.from(b64, "base64").toString("base64url");
    const converted = {
      ...envelope,
      payload: urlSafe(envelope.payload),
      signatures: envelope.signatures.map((s) => ({ ...s, sig: urlSafe(s.sig) })),
    };
    expect(check(parseEnvelope(JSON.stringify(converted), "url-safe"))).toMatchObject({ ok: true });
  });

  it("accepts when any one of several trusted keys signed, and repositories differ only in case", async () => {
    const other = generateSigningKey();
    const result = check(await signed(), {
      trustedKeys: [other.publicKeyPem, KEY.publicKeyPem],
      expectedRepository: "https://github.com/Octo-Org/Shop.git",
    });
    expect(result.ok).toBe(true);
  });

  it("rejects a missing envelope", () => {
    const f = failure(check(undefined, { where: "store/shop@0123456" }));
    expect(f.check).toBe("missing");
    expect(f.message).toMatch(/^store\/shop@0123456: provenance missing check failed: no provenance/);
  });

  it("rejects a statement about another artifact (tampered artifact digest)", async () => {
    const f = failure(check(await signed(statement({ artifact: digestOf("other manifest") }))));
    expect(f.check).toBe("subject");
    expect(f.message).toContain(`expected the artifact digest ${ARTIFACT}`);
    expect(f.message).toContain(`found shop (${digestOf("other manifest")})`);
  });

  it("rejects when the SBOM is not the one the statement names (tampered SBOM)", async () => {
    const f = failure(check(await signed(), { sbomDigest: digestOf("edited sbom") }));
    expect(f.check).toBe("sbom-subject");
    expect(f.message).toContain(`expected the SBOM digest ${digestOf("edited sbom")}`);
  });

  it("rejects a signature by a key that is not trusted", async () => {
    const stranger = generateSigningKey();
    const f = failure(check(await signed(statement(), stranger.privateKeyPem)));
    expect(f.check).toBe("signature");
    expect(f.message).toContain(`expected a signature by a trusted key (${KEY.keyid})`);
    expect(f.message).toContain(`found signatures by ${stranger.keyid}`);
  });

  it("rejects a signature by another key that claims the trusted keyid", async () => {
    const stranger = generateKeyPairSync("ed25519");
    const envelope = await signed();
    const forged = sign(
      null,
      pae(envelope.payloadType, Buffer.from(envelope.payload, "base64")),
      stranger.privateKey,
    );
    const f = failure(
      check({ ...envelope, signatures: [{ keyid: KEY.keyid, sig: forged.toString("base64") }] }),
    );
    expect(f.check).toBe("signature");
    expect(f.message).toContain(`claims trusted keyid ${KEY.keyid} but does not verify`);
  });

  it("rejects a payload with one byte changed after signing", async () => {
    const envelope = await signed();
    const bytes = Buffer.from(envelope.payload, "base64");
    const at = bytes.indexOf("octo-org");
    bytes[at] = "0".charCodeAt(0);
    expect(check({ ...envelope, payload: bytes.toString("base64") })).toMatchObject({
      ok: false,
      check: "signature",
    });
  });

  it("rejects a signed payload type other than in-toto", async () => {
    const signer = createEd25519Signer(KEY.privateKeyPem, "test key");
    const envelope = await signer.sign({
      payloadType: "application/json",
      payload: encodeStatement(statement()),
    });
    const f = failure(check(envelope));
    expect(f.check).toBe("payload");
    expect(f.message).toContain('payloadType is "application/json", expected application/vnd.in-toto+json');
  });

  it("rejects a signed payload that is not an in-toto statement", async () => {
    const signer = createEd25519Signer(KEY.privateKeyPem, "test key");
    const payloadType = "application/vnd.in-toto+json";
    const notJson = await signer.sign({ payloadType, payload: Buffer.from("{not json") });
    expect(failure(check(notJson)).check).toBe("payload");
    const oldType = await signer.sign({
      payloadType,
      payload: Buffer.from('{"_type":"https://in-toto.io/Statement/v0.1"}'),
    });
    expect(failure(check(oldType)).message).toContain("expected https://in-toto.io/Statement/v1");
  });

  it("rejects a statement with another predicate type", async () => {
    const s = {
      ...statement(),
      predicateType: "https://slsa.dev/provenance/v0.2",
    } as unknown as ProvenanceStatement;
    const f = failure(check(await signed(s)));
    expect(f.check).toBe("predicate-type");
    expect(f.message).toContain(
      "expected https://slsa.dev/provenance/v1, found https://slsa.dev/provenance/v0.2",
    );
  });

  it("rejects a builder that is not in the allowlist, and says what is allowed", async () => {
    const envelope = await signed();
    const f = failure(
      check(envelope, { allowedBuilders: ["https://github.com/actions/runner/self-hosted"] }),
    );
    expect(f.check).toBe("builder");
    expect(f.message).toContain(
      `builder ${HOSTED} is not allowed; allowed builders: https://github.com/actions/runner/self-hosted`,
    );
    expect(failure(check(envelope, { allowedBuilders: [] })).message).toContain("none (the list is empty)");
  });

  it("rejects a source repository other than the expected one", async () => {
    const f = failure(check(await signed(), { expectedRepository: "octo-org/other" }));
    expect(f.check).toBe("repository");
    expect(f.message).toContain(
      "expected source https://github.com/octo-org/other, found https://github.com/octo-org/shop",
    );
  });

  it("rejects a local build when a repository is expected, and accepts it when none is", async () => {
    const local = createStatement({
      subjects: [{ name: "shop", digest: ARTIFACT }],
      ...buildContextFromEnv({}, { hostname: "h", user: "u" }),
    });
    const envelope = await signed(local);
    const allowedBuilders = ["https://aether.dev/builders/local"];
    const f = failure(check(envelope, { sbomDigest: digestOf("sbom bytes"), allowedBuilders }));
    expect(f.check).toBe("sbom-subject");
    const request = { envelope, artifactDigest: ARTIFACT, trustedKeys: [KEY.publicKeyPem], allowedBuilders };
    const g = failure(verifyProvenance({ ...request, expectedRepository: "octo-org/shop" }));
    expect(g).toMatchObject({ check: "repository" });
    expect(g.message).toContain(
      "expected source https://github.com/octo-org/shop, found no source repository",
    );
    expect(verifyProvenance(request)).toMatchObject({
      ok: true,
      builderId: "https://aether.dev/builders/local",
    });
  });

  it("rejects everything when no key is trusted, and refuses a trusted key that is not Ed25519", async () => {
    const envelope = await signed();
    expect(failure(check(envelope, { trustedKeys: [] })).message).toContain("no trusted keys are configured");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({
      type: "spki",
      format: "pem",
    });
    expect(() => check(envelope, { trustedKeys: [String(rsa)] })).toThrow(
      /trusted key 1: the key is rsa, expected ed25519/,
    );
  });

  it("refuses a malformed trusted key, and a private key given as one, without echoing it", async () => {
    const envelope = await signed();
    expect(() => check(envelope, { trustedKeys: ["not a key"] })).toThrow(TrustedKeyError);
    let message = "";
    try {
      check(envelope, { trustedKeys: [KEY.privateKeyPem] });
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain("this is a private key");
    expect(message).not.toContain(KEY.privateKeyPem.split("\n")[1]!);
  });
});
