export * from "./provenance-types.ts";
export { pae } from "./pae.ts";
export { keyIdOf } from "./key-id.ts";
export { generateSigningKey, type GeneratedSigningKey } from "./generate-signing-key.ts";
export { readSigningKey } from "./read-signing-key.ts";
export { createEd25519Signer } from "./create-ed25519-signer.ts";
export type { ProvenanceSigner } from "./provenance-signer.ts";
export { createStatement, type CreateStatementRequest } from "./create-statement.ts";
export { buildStatement } from "./build-statement.ts";
export { signStatement, encodeStatement, encodeEnvelope } from "./sign-statement.ts";
export { buildContextFromEnv, type BuildContext, type LocalMachine } from "./build-context-from-env.ts";
export { parseEnvelope } from "./parse-envelope.ts";
export { parseAttestation, type Attestation } from "./parse-attestation.ts";
export {
  parseSigstoreTrustedRoot,
  parseSigstoreTrustedRoots,
  SigstoreTrustedRootError,
  type SigstoreTrustedRoot,
} from "./sigstore-trust-root.ts";
export { publicGoodTrustedRoot, PUBLIC_GOOD_TRUSTED_ROOT_WHERE } from "./public-good-trusted-root.ts";
export { chooseTrustedRoot } from "./choose-trusted-root.ts";
export { readFulcioExtensions, type FulcioExtensions } from "./fulcio-extensions.ts";
export {
  checkSigstoreIdentity,
  GITHUB_ACTIONS_OIDC_ISSUER,
  type SigstoreIdentityPolicy,
  type CertificateIdentity,
  type AcceptedIdentity,
} from "./sigstore-identity-policy.ts";
export { verifySigstoreBundle, type SigstoreBundleVerification } from "./verify-sigstore-bundle.ts";
export {
  verifyProvenance,
  PROVENANCE_CHECKS,
  type ProvenanceCheck,
  type ProvenanceVerification,
  type VerifyProvenanceRequest,
  type SigstoreVerificationOptions,
} from "./verify-provenance.ts";
export { provenancePolicy, type ProvenanceDecision } from "./provenance-policy.ts";
export {
  SigningKeyError,
  TrustedKeyError,
  EnvelopeParseError,
  BuildContextError,
} from "./provenance-errors.ts";
