import type { Digest } from "../artifact/digest.ts";
import { parseSlsaPredicate, parseStatement } from "./parse-statement.ts";
import type { FailedCheck } from "./provenance-checks.ts";
import {
  IN_TOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_PREDICATE_TYPE,
  type ProvenanceStatement,
} from "./provenance-types.ts";
import { normalizeRepository, repositoryOf, sameRepository } from "./source-repository.ts";

export interface VerifyStatementRequest {
  payloadType: string;
  /** The signed payload bytes: only call this once their signature has been verified. */
  body: Buffer;
  artifactDigest: Digest;
  sbomDigest?: Digest | undefined;
  allowedBuilders: readonly string[];
  expectedRepository?: string | undefined;
}

export type StatementVerification =
  { ok: true; statement: ProvenanceStatement; builderId: string; repository?: string } | FailedCheck;

/**
 * The checks on what was signed, the same whoever signed it (an Ed25519 key or a Sigstore certificate):
 * in-toto payload, SLSA v1 predicate type, artifact (and SBOM) digest among the subjects, builder in the
 * allowlist, source repository as expected.
 */
export function verifyStatement(request: VerifyStatementRequest): StatementVerification {
  const fail = (check: FailedCheck["check"], detail: string): FailedCheck => ({ ok: false, check, detail });
  if (request.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return fail(
      "payload",
      `payloadType is ${JSON.stringify(request.payloadType)}, expected ${IN_TOTO_PAYLOAD_TYPE}`,
    );
  }
  const parsed = parseStatement(request.body);
  if (!parsed.ok) return fail("payload", parsed.message);
  const { statement, subject, predicateType, predicate } = parsed.value;
  if (predicateType !== SLSA_PROVENANCE_PREDICATE_TYPE) {
    return fail("predicate-type", `expected ${SLSA_PROVENANCE_PREDICATE_TYPE}, found ${predicateType}`);
  }
  const slsa = parseSlsaPredicate(predicate);
  if (!slsa.ok) return fail("payload", slsa.message);
  const subjects = subject.map((s) => `${s.name} (sha256:${s.digest.sha256})`).join(", ");
  const hasSubject = (digest: Digest): boolean => subject.some((s) => `sha256:${s.digest.sha256}` === digest);
  if (!hasSubject(request.artifactDigest)) {
    return fail(
      "subject",
      `expected the artifact digest ${request.artifactDigest} among the subjects, found ${subjects}`,
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
  return { ok: true, statement, builderId, ...(repository ? { repository } : {}) };
}
