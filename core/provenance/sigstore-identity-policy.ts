import { normalizeRepository, sameRepository } from "./source-repository.ts";

/** The OIDC issuer of GitHub Actions' job tokens: who Fulcio certified a GitHub workflow's identity for. */
export const GITHUB_ACTIONS_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** Whose Sigstore certificates are accepted. */
export interface SigstoreIdentityPolicy {
  /** Accepted OIDC issuers (Fulcio's issuer extension); default: GitHub Actions'. */
  oidcIssuers: readonly string[];
  /** `OWNER/REPO` or a repository URL the signing workflow must belong to; required. */
  repository: string | undefined;
}

/** What a Fulcio certificate says about who signed. */
export interface CertificateIdentity {
  /** The URI SAN: for GitHub Actions, `https://github.com/OWNER/REPO/.github/workflows/FILE@REF`. */
  subjectAlternativeName: string | undefined;
  /** Fulcio's OIDC issuer extension. */
  issuer: string | undefined;
}

const WORKFLOWS = "/.github/workflows/";

/**
 * Checks a verified certificate's identity: issued for a token from an accepted OIDC issuer, for a
 * workflow of the expected repository. Anyone can get a Fulcio certificate for their own workflow, so a
 * certificate that chains to the root proves nothing until its identity is matched: without an expected
 * repository no identity is accepted.
 */
export function checkSigstoreIdentity(
  identity: CertificateIdentity,
  policy: SigstoreIdentityPolicy,
): { ok: true; repository: string } | { ok: false; detail: string } {
  const { subjectAlternativeName: san, issuer } = identity;
  if (issuer === undefined || !policy.oidcIssuers.includes(issuer)) {
    return {
      ok: false,
      detail:
        `the certificate was issued for OIDC issuer ${issuer ?? "(none)"}, expected ` +
        `${policy.oidcIssuers.join(" or ") || "(no issuer is accepted: the list is empty)"}`,
    };
  }
  const at = san?.indexOf(WORKFLOWS) ?? -1;
  if (san === undefined || !san.startsWith("https://") || at < 0) {
    return {
      ok: false,
      detail: `the certificate's identity ${san ?? "(none)"} is not a GitHub Actions workflow URI`,
    };
  }
  const repository = san.slice(0, at);
  if (policy.repository === undefined) {
    return {
      ok: false,
      detail:
        `the certificate was issued to a workflow of ${repository}, but no expected repository is set, and ` +
        `anyone can get a certificate for their own workflow: set AETHER_EXPECTED_REPOSITORY (or --repository)`,
    };
  }
  if (!sameRepository(policy.repository, repository)) {
    return {
      ok: false,
      detail: `expected a workflow of ${normalizeRepository(policy.repository)}, found the certificate identity ${san}`,
    };
  }
  return { ok: true, repository: normalizeRepository(repository) };
}
