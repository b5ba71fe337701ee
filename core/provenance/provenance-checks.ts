/** The checks verification makes, in the order it makes them. */
export const PROVENANCE_CHECKS = [
  "missing",
  "signature",
  "certificate",
  "transparency-log",
  "identity",
  "payload",
  "predicate-type",
  "subject",
  "sbom-subject",
  "builder",
  "repository",
] as const;
export type ProvenanceCheck = (typeof PROVENANCE_CHECKS)[number];

/** A check that failed, and what it expected and found (without the `where: … check failed:` prefix). */
export interface FailedCheck {
  ok: false;
  check: ProvenanceCheck;
  detail: string;
}
