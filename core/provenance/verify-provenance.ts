import type { SerializedBundle } from "@sigstore/bundle";
import { verify } from "node:crypto";
import type { Digest } from "../artifact/digest.ts";
import { pae } from "./pae.ts";
import { parseTrustedKey, type TrustedKey } from "./parse-trusted-key.ts";
import type { ProvenanceCheck } from "./provenance-checks.ts";
import type { DsseEnvelope, ProvenanceStatement } from "./provenance-types.ts";
import { GITHUB_ACTIONS_OIDC_ISSUER } from "./sigstore-identity-policy.ts";
import type { SigstoreTrustedRoot } from "./sigstore-trust-root.ts";
import { sourceCommitOf } from "./source-repository.ts";
import { verifySigstoreBundle } from "./verify-sigstore-bundle.ts";
import { verifyStatement } from "./verify-statement.ts";

export { PROVENANCE_CHECKS, type ProvenanceCheck } from "./provenance-checks.ts";

export type ProvenanceVerification =
  | {
      ok: true;
      statement: ProvenanceStatement;
      /** The trusted key's keyid, or the fingerprint of a Sigstore certificate's key. */
      keyid: string;
      builderId: string;
      repository?: string;
      /**
       * Sigstore only: the certificate's identity (workflow URI), OIDC issuer, signing workflow (Build Signer
       * URI), the trusted root that vouched for it, and the log index.
       */
      sigstore?: { identity: string; issuer: string; signer: string; trustedRoot: string; logIndex?: string };
    }
  | { ok: false; check: ProvenanceCheck; message: string };

/** How Sigstore bundles are trusted. */
export interface SigstoreVerificationOptions {
  /**
   * The configured trusted roots (AETHER_SIGSTORE_TRUSTED_ROOT: one, or one per line of a JSON-lines file):
   * a bundle is verified against the one whose authority issued its certificate. They win over the built-in
   * public-good root.
   */
  trustedRoots?: readonly SigstoreTrustedRoot[] | undefined;
  /** One configured root: the same as `trustedRoots: [trustedRoot]`. */
  trustedRoot?: SigstoreTrustedRoot | undefined;
  /**
   * Whether Sigstore's public-good root (built in) verifies its certificates when no root is configured;
   * default true.
   */
  publicGood?: boolean | undefined;
  /** Accepted OIDC issuers; default: GitHub Actions' (`https://token.actions.githubusercontent.com`). */
  oidcIssuers?: readonly string[] | undefined;
  /** The repository the signing workflow's run must belong to when `expectedRepository` is not set. */
  repository?: string | undefined;
  /**
   * The workflow that must have signed (AETHER_SIGSTORE_SIGNER_WORKFLOW), e.g. a shared reusable workflow
   * `OWNER/REPO/.github/workflows/FILE[@REF]`; compared with the certificate's Build Signer URI.
   */
  signerWorkflow?: string | undefined;
}

export interface VerifyProvenanceRequest {
  /** The parsed envelope, or undefined when the artifact has none. Ignored when `bundle` is given. */
  envelope: DsseEnvelope | undefined;
  /** A Sigstore bundle (keyless signature): verified against `sigstore` instead of the trusted keys. */
  bundle?: SerializedBundle | undefined;
  sigstore?: SigstoreVerificationOptions | undefined;
  /** The artifact's manifest digest: must be a subject. */
  artifactDigest: Digest;
  /** The SBOM's digest: when given, must also be a subject. */
  sbomDigest?: Digest | undefined;
  /** Ed25519 public keys (SPKI PEM); a signature by any one of them is enough. */
  trustedKeys: readonly string[];
  /** Exact builder ids accepted, e.g. `https://github.com/actions/runner/github-hosted`. */
  allowedBuilders: readonly string[];
  /**
   * `OWNER/REPO` (on github.com) or a repository URL; when given, the source must be that repository (and
   * a Sigstore certificate must name one of its workflows).
   */
  expectedRepository?: string | undefined;
  /** Names the provenance in messages (a file path, `owner/repo@sha`). */
  where?: string | undefined;
}

/**
 * Decides whether an artifact's provenance can be trusted. The signature: by a trusted Ed25519 key (keyids
 * are hints only), or for a Sigstore bundle a certificate that chains to the trusted root, a log entry (or
 * timestamp) the root's keys vouch for, and an identity of the expected repository's workflows. Then what
 * was signed: in-toto payload, SLSA v1 predicate type, artifact (and SBOM) digest among the subjects,
 * builder in the allowlist, source repository as expected. The first failing check is returned with a
 * message that says what was expected and what was found. Throws `TrustedKeyError` only for a malformed
 * trusted key.
 */
export function verifyProvenance(request: VerifyProvenanceRequest): ProvenanceVerification {
  const { envelope, artifactDigest } = request;
  const fail = (check: ProvenanceCheck, detail: string): ProvenanceVerification => ({
    ok: false,
    check,
    message: `${request.where ? `${request.where}: ` : ""}provenance ${check} check failed: ${detail}`,
  });
  if (request.bundle !== undefined) return verifyBundle(request.bundle, request, fail);
  if (envelope === undefined) {
    return fail(
      "missing",
      `no provenance was found for artifact ${artifactDigest}; build it with Aether to make one`,
    );
  }
  const keys = request.trustedKeys.map((pem, i) => parseTrustedKey(pem, `trusted key ${i + 1}`));
  const body = Buffer.from(envelope.payload, "base64");
  const signer = findSigner(envelope, pae(envelope.payloadType, body), keys);
  if (!signer.ok) return fail("signature", signer.detail);
  const checked = verifyStatement({ ...request, payloadType: envelope.payloadType, body });
  if (!checked.ok) return fail(checked.check, checked.detail);
  return { ...checked, keyid: signer.keyid };
}

function verifyBundle(
  bundle: SerializedBundle,
  request: VerifyProvenanceRequest,
  fail: (check: ProvenanceCheck, detail: string) => ProvenanceVerification,
): ProvenanceVerification {
  const options = request.sigstore ?? {};
  const signed = verifySigstoreBundle({
    bundle,
    trustedRoots: [...(options.trustedRoot ? [options.trustedRoot] : []), ...(options.trustedRoots ?? [])],
    ...(options.publicGood === false ? { builtInRoot: false } : {}),
    identity: {
      oidcIssuers: options.oidcIssuers ?? [GITHUB_ACTIONS_OIDC_ISSUER],
      repository: request.expectedRepository ?? options.repository,
      signerWorkflow: options.signerWorkflow,
    },
  });
  if (!signed.ok) return fail(signed.check, signed.detail);
  // The statement's source must be the repository whose workflow run signed it, whatever was configured.
  const checked = verifyStatement({
    ...request,
    payloadType: signed.payloadType,
    body: signed.body,
    expectedRepository: request.expectedRepository ?? signed.repository,
  });
  if (!checked.ok) return fail(checked.check, checked.detail);
  const commit = sourceCommitOf(checked.statement.predicate.buildDefinition.resolvedDependencies ?? []);
  if (signed.sourceDigest !== undefined && commit !== undefined && commit !== signed.sourceDigest) {
    return fail(
      "repository",
      `the statement names source commit ${commit}, but the certificate's Source Repository Digest ` +
        `(1.3.6.1.4.1.57264.1.13) is ${signed.sourceDigest}: the run that signed built another commit`,
    );
  }
  const { identity, issuer, logIndex, signer, trustedRoot } = signed;
  return {
    ...checked,
    keyid: signed.keyid,
    sigstore: { identity, issuer, signer, trustedRoot, ...(logIndex === undefined ? {} : { logIndex }) },
  };
}

function findSigner(
  envelope: DsseEnvelope,
  message: Buffer,
  keys: TrustedKey[],
): { ok: true; keyid: string } | { ok: false; detail: string } {
  if (keys.length === 0)
    return { ok: false, detail: "no trusted keys are configured, so no signature can be trusted" };
  // Every signature is tried against every trusted key: the keyid is unauthenticated and decides nothing.
  for (const signature of envelope.signatures) {
    const sig = Buffer.from(signature.sig, "base64");
    for (const key of keys) if (safeVerify(message, key, sig)) return { ok: true, keyid: key.keyid };
  }
  const claimed = envelope.signatures.map((s) => s.keyid ?? "(no keyid)");
  const trusted = keys.map((k) => k.keyid);
  if (claimed.some((id) => trusted.includes(id))) {
    return {
      ok: false,
      detail:
        `a signature claims trusted keyid ${claimed.find((id) => trusted.includes(id))!} but does not verify with ` +
        `that key: the payload was changed after signing, or another key signed it under this keyid`,
    };
  }
  return {
    ok: false,
    detail: `expected a signature by a trusted key (${trusted.join(", ")}), found signatures by ${claimed.join(", ")}`,
  };
}

function safeVerify(message: Buffer, key: TrustedKey, sig: Buffer): boolean {
  try {
    return verify(null, message, key.key, sig);
  } catch {
    return false;
  }
}
