import type { Digest } from "../artifact/digest.ts";
import {
  SLSA_PROVENANCE_PREDICATE_TYPE,
  STATEMENT_TYPE,
  type BuildDefinition,
  type ProvenanceStatement,
  type RunDetails,
} from "./provenance-types.ts";

export interface CreateStatementRequest {
  /** What the statement is about: the artifact (its manifest digest) and its SBOM. */
  subjects: { name: string; digest: Digest }[];
  buildDefinition: BuildDefinition;
  runDetails: RunDetails;
}

/**
 * An in-toto Statement v1 with a SLSA Provenance v1 predicate. Pure: the same request gives an equal
 * statement, and `signStatement` serializes it canonically, so the same inputs give the same payload bytes.
 * @example createStatement({ subjects: [{ name: "app", digest: artifactDigest },
 *            { name: "app.cdx.json", digest: sbomDigest }], ...buildContextFromEnv(env, local) })
 */
export function createStatement(request: CreateStatementRequest): ProvenanceStatement {
  if (request.subjects.length === 0)
    throw new Error("createStatement: a statement needs at least one subject");
  return {
    _type: STATEMENT_TYPE,
    subject: request.subjects.map((s) => ({
      name: s.name,
      digest: { sha256: s.digest.slice("sha256:".length) },
    })),
    predicateType: SLSA_PROVENANCE_PREDICATE_TYPE,
    predicate: { buildDefinition: request.buildDefinition, runDetails: request.runDetails },
  };
}
