/** The in-toto Statement layer: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md */
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** SLSA Provenance v1: https://slsa.dev/spec/v1.0/provenance */
export const SLSA_PROVENANCE_PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
/** The DSSE payload type for in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
/** Aether's build type: what `externalParameters` and `internalParameters` mean (docs/provenance.md). */
export const AETHER_BUILD_TYPE = "https://aether.dev/provenance/build/v1";
/** The builder id of a build made outside GitHub Actions (a laptop, another CI). */
export const LOCAL_BUILDER_ID = "https://aether.dev/builders/local";

/** Builders trusted unless configured otherwise (AETHER_ALLOWED_BUILDERS): this machine's and GitHub-hosted runners. */
export const DEFAULT_ALLOWED_BUILDERS: readonly string[] = [
  LOCAL_BUILDER_ID,
  "https://github.com/actions/runner/github-hosted",
];

/** An in-toto ResourceDescriptor, as far as Aether writes and reads it. */
export interface ResourceDescriptor {
  uri?: string;
  name?: string;
  digest?: Record<string, string>;
}

export interface StatementSubject {
  name: string;
  digest: { sha256: string } & Record<string, string>;
}

export interface BuildDefinition {
  buildType: string;
  /** What the user controls: the workflow and source that were built. */
  externalParameters: Record<string, unknown>;
  /** What the platform chose: runner environment, machine. */
  internalParameters?: Record<string, unknown>;
  /** Inputs the build fetched, the source commit first. */
  resolvedDependencies?: ResourceDescriptor[];
}

export interface RunDetails {
  builder: { id: string; version?: Record<string, string> };
  metadata?: { invocationId?: string; startedOn?: string; finishedOn?: string };
}

export interface SlsaProvenancePredicate {
  buildDefinition: BuildDefinition;
  runDetails: RunDetails;
}

/** An in-toto Statement v1 whose predicate is SLSA Provenance v1. */
export interface ProvenanceStatement {
  _type: typeof STATEMENT_TYPE;
  subject: StatementSubject[];
  predicateType: typeof SLSA_PROVENANCE_PREDICATE_TYPE;
  predicate: SlsaProvenancePredicate;
}

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md). */
export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the serialized body (standard alphabet when Aether writes it; either when it reads). */
  payload: string;
  signatures: DsseSignature[];
}

export interface DsseSignature {
  /** An unauthenticated hint; never used to decide trust. */
  keyid?: string;
  /** base64 of the signature over PAE(payloadType, payload bytes). */
  sig: string;
}
