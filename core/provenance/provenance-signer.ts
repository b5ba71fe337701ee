import type { DsseEnvelope } from "./provenance-types.ts";

/**
 * Turns a serialized statement into a signed DSSE envelope. Ed25519 with the user's key is the one
 * implementation today (`createEd25519Signer`); a Sigstore signer (keyless, through `@actions/attest` in
 * GitHub Actions with `id-token: write`) implements the same interface and returns the envelope held in its
 * Sigstore bundle, so the code that builds and stores provenance does not change.
 */
export interface ProvenanceSigner {
  /** For messages and the job summary: "ed25519", later "sigstore". */
  readonly kind: string;
  /** The keyid written in the envelope. */
  readonly keyid: string;
  sign(request: { payloadType: string; payload: Buffer }): Promise<DsseEnvelope>;
}
