import type { Digest } from "../../core/artifact/digest.ts";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import type { AetherConfig } from "../../core/config/config-schema.ts";
import { checkProvenance, type ProvenanceRequirements } from "../../core/pipeline/check-provenance.ts";
import type { ProvenanceDecision } from "../../core/provenance/provenance-policy.ts";
import { DEFAULT_ALLOWED_BUILDERS } from "../../core/provenance/provenance-types.ts";
import { GITHUB_ACTIONS_OIDC_ISSUER } from "../../core/provenance/sigstore-identity-policy.ts";
import type { ArtifactStore } from "../../core/store/store.ts";

/**
 * What the app trusts, for every repository: keys, builders, Sigstore roots and issuers, and whether an
 * unverified artifact is refused everywhere (a repository can also ask for that: `requireProvenance`).
 */
export type AppProvenance = Omit<ProvenanceRequirements, "expectedRepository">;

/** Without settings: GitHub Actions' Sigstore identities and the built-in public-good root, nothing required. */
export const DEFAULT_APP_PROVENANCE: AppProvenance = {
  required: false,
  trustedKeys: [],
  allowedBuilders: DEFAULT_ALLOWED_BUILDERS,
  sigstore: { oidcIssuers: [GITHUB_ACTIONS_OIDC_ISSUER] },
};

/**
 * Checks the provenance of the artifact a request is about to deploy: signed (by a trusted key or a GitHub
 * Actions run through Sigstore), about exactly this digest and its SBOM, by an allowed builder, and built
 * from the request's own repository. Required by the app's settings or the repository's
 * `requireProvenance`, a failure refuses the deploy naming the check; otherwise the deploy goes on labelled
 * unverified.
 */
export function artifactProvenance(request: {
  store: ArtifactStore;
  digest: Digest;
  manifest: ArtifactManifest;
  repository: string;
  config: Pick<AetherConfig, "requireProvenance">;
  trust: AppProvenance;
}): Promise<ProvenanceDecision> {
  const { trust } = request;
  return checkProvenance({
    store: request.store,
    digest: request.digest,
    ...(request.manifest.sbom ? { sbomDigest: request.manifest.sbom.digest } : {}),
    requirements: {
      ...trust,
      required: trust.required || request.config.requireProvenance,
      expectedRepository: request.repository,
      sigstore: { ...trust.sigstore, repository: request.repository },
    },
  });
}
