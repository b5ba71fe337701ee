import type { Digest } from "../artifact/digest.ts";
import { parseAttestation, type Attestation } from "../provenance/parse-attestation.ts";
import { provenancePolicy, type ProvenanceDecision } from "../provenance/provenance-policy.ts";
import { verifyProvenance, type SigstoreVerificationOptions } from "../provenance/verify-provenance.ts";
import type { ArtifactStore } from "../store/store.ts";

/** What a deploy checks an artifact's provenance against. */
export interface ProvenanceRequirements {
  /** Refuse the deploy on any failure (AETHER_REQUIRE_PROVENANCE=1 or requireProvenance: true). */
  required: boolean;
  /** PEM public keys whose signatures are trusted. */
  trustedKeys: readonly string[];
  allowedBuilders: readonly string[];
  /** `https://github.com/OWNER/REPO` the artifact must have been built from. */
  expectedRepository?: string;
  /** How Sigstore bundles (keyless signatures) are trusted: the trusted root, OIDC issuers, repository. */
  sigstore?: SigstoreVerificationOptions;
}

/**
 * Reads the artifact's attestation from the store (a DSSE envelope signed with a key, or a Sigstore bundle),
 * verifies it, and decides: proceed verified, proceed
 * labelled unverified, or refuse (when required) with the failing check's message.
 */
export async function checkProvenance(request: {
  store: ArtifactStore;
  digest: Digest;
  /** The SBOM the manifest names: the provenance must name it too. */
  sbomDigest?: Digest;
  requirements: ProvenanceRequirements;
}): Promise<ProvenanceDecision> {
  const { store, digest, requirements } = request;
  const where = `store ${store.url}`;
  const bytes = await store.getAttestation(digest);
  let attestation: Attestation | undefined;
  try {
    attestation = bytes === undefined ? undefined : parseAttestation(bytes.toString("utf8"), where);
  } catch (error) {
    return provenancePolicy({
      required: requirements.required,
      result: {
        ok: false,
        check: "payload",
        message: error instanceof Error ? error.message : String(error),
      },
    });
  }
  const result = verifyProvenance({
    envelope: attestation?.envelope,
    ...(attestation?.kind === "sigstore" ? { bundle: attestation.bundle } : {}),
    ...(requirements.sigstore === undefined ? {} : { sigstore: requirements.sigstore }),
    artifactDigest: digest,
    ...(request.sbomDigest === undefined ? {} : { sbomDigest: request.sbomDigest }),
    trustedKeys: [...requirements.trustedKeys],
    allowedBuilders: [...requirements.allowedBuilders],
    ...(requirements.expectedRepository === undefined
      ? {}
      : { expectedRepository: requirements.expectedRepository }),
    where,
  });
  return provenancePolicy({ required: requirements.required, result });
}
