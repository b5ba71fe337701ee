import type { FulcioExtensions } from "./fulcio-extensions.ts";
import { normalizeRepository, normalizeWorkflow, sameRepository, sameWorkflow } from "./source-repository.ts";

/** The OIDC issuer of GitHub Actions' job tokens: who Fulcio certified a GitHub workflow's identity for. */
export const GITHUB_ACTIONS_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** Whose Sigstore certificates are accepted. */
export interface SigstoreIdentityPolicy {
  /** Accepted OIDC issuers (Fulcio's issuer extension); default: GitHub Actions'. */
  oidcIssuers: readonly string[];
  /** `OWNER/REPO` or a repository URL the signing run must belong to; required. */
  repository: string | undefined;
  /**
   * The workflow that must have signed (`OWNER/REPO/.github/workflows/FILE[@REF]` or its URL), e.g. a shared
   * reusable workflow; compared with the Build Signer URI (or the SAN). Absent: any workflow.
   */
  signerWorkflow?: string | undefined;
}

/** What a Fulcio certificate says about who signed. */
export interface CertificateIdentity {
  /** The URI SAN: for GitHub Actions, `https://github.com/OWNER/REPO/.github/workflows/FILE@REF`. */
  subjectAlternativeName: string | undefined;
  /** Fulcio's OIDC issuer extension. */
  issuer: string | undefined;
  /** Fulcio's other extensions, when the certificate has them. */
  extensions?: FulcioExtensions | undefined;
}

/** An accepted identity: the run's repository, and the workflow that signed (the SAN or build signer). */
export interface AcceptedIdentity {
  ok: true;
  repository: string;
  signer: string;
  /** The commit the run built (Source Repository Digest), when the certificate says. */
  sourceDigest?: string;
}

const WORKFLOWS = "/.github/workflows/";

/**
 * Checks a verified certificate's identity: issued for a token from an accepted OIDC issuer, for a run of
 * the expected repository, by the expected workflow when one is set. The run's repository is the Source
 * Repository URI extension, else the legacy workflow-repository extension, else the SAN's: for a job that
 * calls a reusable workflow the SAN names the reusable workflow's repository, not the caller's. Anyone can
 * get a Fulcio certificate for their own workflow, so without an expected repository no identity is accepted.
 */
export function checkSigstoreIdentity(
  identity: CertificateIdentity,
  policy: SigstoreIdentityPolicy,
): AcceptedIdentity | { ok: false; detail: string } {
  const { subjectAlternativeName: san, issuer } = identity;
  const extensions = identity.extensions ?? {};
  const refuse = (detail: string) => ({ ok: false as const, detail });
  if (issuer === undefined || !policy.oidcIssuers.includes(issuer)) {
    return refuse(
      `the certificate was issued for OIDC issuer ${issuer ?? "(none)"}, expected ` +
        `${policy.oidcIssuers.join(" or ") || "(no issuer is accepted: the list is empty)"}`,
    );
  }
  const at = san?.indexOf(WORKFLOWS) ?? -1;
  if (san === undefined || !san.startsWith("https://") || at < 0) {
    return refuse(`the certificate's identity ${san ?? "(none)"} is not a GitHub Actions workflow URI`);
  }
  const source = sourceRepository(san.slice(0, at), extensions);
  if (policy.repository === undefined) {
    return refuse(
      `the certificate was issued to a workflow of ${source.repository}, but no expected repository is ` +
        `set, and anyone can get a certificate for their own workflow: set AETHER_EXPECTED_REPOSITORY (or --repository)`,
    );
  }
  if (!sameRepository(policy.repository, source.repository)) {
    const expected = `expected a workflow of ${normalizeRepository(policy.repository)}`;
    return refuse(
      source.from === undefined
        ? `${expected}, found the certificate identity ${san}`
        : `${expected}, found ${source.from} ${source.repository} (certificate identity ${san})`,
    );
  }
  const signer = extensions.buildSignerUri ?? san;
  if (policy.signerWorkflow !== undefined && !sameWorkflow(policy.signerWorkflow, signer)) {
    return refuse(
      `expected the signer workflow ${normalizeWorkflow(policy.signerWorkflow)} ` +
        `(AETHER_SIGSTORE_SIGNER_WORKFLOW), found the certificate's ` +
        `${extensions.buildSignerUri === undefined ? "identity" : "Build Signer URI (1.3.6.1.4.1.57264.1.9)"} ${signer}`,
    );
  }
  const sourceDigest = extensions.sourceRepositoryDigest ?? extensions.githubWorkflowSha;
  return {
    ok: true,
    repository: normalizeRepository(source.repository),
    signer,
    ...(sourceDigest === undefined ? {} : { sourceDigest }),
  };
}

function sourceRepository(
  sanRepository: string,
  extensions: FulcioExtensions,
): { repository: string; from?: string } {
  if (extensions.sourceRepositoryUri !== undefined) {
    return {
      repository: extensions.sourceRepositoryUri,
      from: "the certificate's Source Repository URI (1.3.6.1.4.1.57264.1.12)",
    };
  }
  if (extensions.githubWorkflowRepository !== undefined) {
    // `OWNER/REPO` on the SAN's server (github.com or a GitHub Enterprise host).
    const server = sanRepository.split("/").slice(0, 3).join("/");
    return {
      repository: `${server}/${extensions.githubWorkflowRepository}`,
      from: "the certificate's GitHub Workflow Repository (1.3.6.1.4.1.57264.1.5)",
    };
  }
  return { repository: sanRepository };
}
