/** The sbom action's inputs and outputs: one list each, checked against action.yml by a test. */
export const SBOM_INPUTS = [
  "path",
  "digest",
  "manifest",
  "store",
  "format",
  "include-dev",
  "signing-key",
  "fulcio-url",
  "rekor-url",
] as const;
export const SBOM_OUTPUTS = [
  "sbom-path",
  "sbom-digest",
  "provenance-path",
  "provenance-digest",
  "verified",
] as const;

export type SbomInput = (typeof SBOM_INPUTS)[number];
export type SbomOutput = (typeof SBOM_OUTPUTS)[number];
