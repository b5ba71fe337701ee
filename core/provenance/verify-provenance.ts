import { verify } from "node:crypto";
import type { Digest } from "../artifact/digest.ts";
import { pae } from "./pae.ts";
import { parseSlsaPredicate, parseStatement } from "./parse-statement.ts";
import { parseTrustedKey, type TrustedKey } from "./parse-trusted-key.ts";
import { repositoryOf, sameRepository, normalizeRepository } from "./source-repository.ts";
import {
  IN_TOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_PREDICATE_TYPE,
  type DsseEnvelope,
  type ProvenanceStatement,
} from "./provenance-types.ts";

/** The checks verification makes, in the order it makes them. */
export const PROVENANCE_CHECKS = [
  "missing",
  "signature",
  "payload",
  "predicate-type",
  "subject",
  "sbom-subject",
  "builder",
  "repository",
] as const;
export type ProvenanceCheck = (typeof PROVENANCE_CHECKS)[number];

export type ProvenanceVerification =
  | { ok: true; statement: ProvenanceStatement; keyid: string; builderId: string; repository?: string }
  | { ok: false; check: ProvenanceCheck; message: string };

export interface VerifyProvenanceRequest {
  /** The parsed envelope, or undefined when the artifact has none. */
  envelope: DsseEnvelope | undefined;
  /** The artifact's manifest digest: must be a subject. */
  artifactDigest: Digest;
  /** The SBOM's digest: when given, must also be a subject. */
  sbomDigest?: Digest | undefined;
  /** Ed25519 public keys (SPKI PEM); a signature by any one of them is enough. */
  trustedKeys: readonly string[];
  /** Exact builder ids accepted, e.g. `https://github.com/actions/runner/github-hosted`. */
  allowedBuilders: readonly string[];
  /** `OWNER/REPO` (on github.com) or a repository URL; when given, the source must be that repository. */
  expectedRepository?: string | undefined;
  /** Names the provenance in messages (a file path, `owner/repo@sha`). */
  where?: string | undefined;
}

/**
 * Decides whether an artifact's provenance can be trusted: signature by a trusted key (keyids are hints
 * only), in-toto payload, SLSA v1 predicate type, artifact (and SBOM) digest among the subjects, builder in
 * the allowlist, source repository as expected. The first failing check is returned with a message that
 * says what was expected and what was found. Throws `TrustedKeyError` only for a malformed trusted key.
 */
export function verifyProvenance(request: VerifyProvenanceRequest): ProvenanceVerification {
  const { envelope, artifactDigest } = request;
  const fail = (check: ProvenanceCheck, detail: string): ProvenanceVerification => ({
    ok: false,
    check,
    message: `${request.where ? `${request.where}: ` : ""}provenance ${check} check failed: ${detail}`,
  });
  if (envelope === undefined) {
    return fail(
      "missing",
      `no provenance was found for artifact ${artifactDigest}; build it with Aether to make one`,
    );
  }
  const keys = request.trustedKeys.map((pem, i) => parseTrustedKey(pem, `trusted key ${i + 1}`));
  const body = Buffer.from(envelope.payload, "base64");
  const signer = findSigner(envelope, pae(envelope.payloadType, body), keys);
  if (!signer.ok) return fail("signature", signer.detail);
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return fail(
      "payload",
      `payloadType is ${JSON.stringify(envelope.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`,
    );
  }
  const parsed = parseStatement(body);
  if (!parsed.ok) return fail("payload", parsed.message);
  const { statement, subject, predicateType, predicate } = parsed.value;
  if (predicateType !== SLSA_PROVENANCE_PREDICATE_TYPE) {
    return fail("predicate-type", `expected ${SLSA_PROVENANCE_PREDICATE_TYPE}, found ${predicateType}`);
  }
  const slsa = parseSlsaPredicate(predicate);
  if (!slsa.ok) return fail("payload", slsa.message);
  const subjects = subject.map((s) => `${s.name} (sha256:${s.digest.sha256})`).join(", ");
  const hasSubject = (digest: Digest): boolean => subject.some((s) => `sha256:${s.digest.sha256}` === digest);
  if (!hasSubject(artifactDigest)) {
    return fail(
      "subject",
      `expected the artifact digest ${artifactDigest} among the subjects, found ${subjects}`,
    );
  }
  if (request.sbomDigest !== undefined && !hasSubject(request.sbomDigest)) {
    return fail(
      "sbom-subject",
      `expected the SBOM digest ${request.sbomDigest} among the subjects, found ${subjects}`,
    );
  }
  const { builderId } = slsa.value;
  if (!request.allowedBuilders.includes(builderId)) {
    const allowed =
      request.allowedBuilders.length > 0 ? request.allowedBuilders.join(", ") : "none (the list is empty)";
    return fail("builder", `builder ${builderId} is not allowed; allowed builders: ${allowed}`);
  }
  const repository = repositoryOf(slsa.value.resolvedDependencies);
  if (request.expectedRepository !== undefined) {
    const expected = normalizeRepository(request.expectedRepository);
    if (repository === undefined) {
      return fail("repository", `expected source ${expected}, found no source repository (a local build?)`);
    }
    if (!sameRepository(expected, repository)) {
      return fail("repository", `expected source ${expected}, found ${repository}`);
    }
  }
  return { ok: true, statement, keyid: signer.keyid, builderId, ...(repository ? { repository } : {}) };
}

function findSigner(
  envelope: DsseEnvelope,
  message: Buffer,
  keys: TrustedKey[],
): { ok: true; keyid: string } | { ok: false; detail: string } {
  if (keys.length === 0)
    return { ok: false, detail: "no trusted keys are configured, so no signature can be trusted" };
  // Every signature is tried against every trusted key: the keyid is unauthenticated and decides nothing.
  for (const signature of envelope.signatures) {
    const sig = Buffer.from(signature.sig, "base64");
    for (const key of keys) if (safeVerify(message, key, sig)) return { ok: true, keyid: key.keyid };
  }
  const claimed = envelope.signatures.map((s) => s.keyid ?? "(no keyid)");
  const trusted = keys.map((k) => k.keyid);
  if (claimed.some((id) => trusted.includes(id))) {
    return {
      ok: false,
      detail:
        `a signature claims trusted keyid ${claimed.find((id) => trusted.includes(id))!} but does not verify with ` +
        `that key: the payload was changed after signing, or another key signed it under this keyid`,
    };
  }
  return {
    ok: false,
    detail: `expected a signature by a trusted key (${trusted.join(", ")}), found signatures by ${claimed.join(", ")}`,
  };
}

function safeVerify(message: Buffer, key: TrustedKey, sig: Buffer): boolean {
  try {
    return verify(null, message, key.key, sig);
  } catch {
    return false;
  }
}
