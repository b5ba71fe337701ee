import type { X509Certificate } from "node:crypto";
import type { SigstoreTrustedRoot } from "./sigstore-trust-root.ts";

/** The organization in the certificates of GitHub's own Sigstore instance (`fulcio.githubapp.com`). */
const GITHUB_ORGANIZATION = "O=GitHub, Inc.";

const GET_GITHUB_ROOT =
  "`gh attestation trusted-root > trusted_root.jsonl` writes it (with the public-good root, one per line); " +
  "point AETHER_SIGSTORE_TRUSTED_ROOT (or `aether verify --trusted-root`) at that file";

/**
 * Which trusted root a bundle's certificate is verified against. Configured roots win: the one whose
 * certificate authority issued the certificate, else (one root) that root, so the verifier says why the
 * chain fails. With none configured, the built-in public-good root, for certificates its Fulcio issued.
 * A certificate from GitHub's own Sigstore instance (private repositories) needs GitHub's root, which is
 * not built in: the message says how to get it.
 */
export function chooseTrustedRoot(request: {
  leaf: X509Certificate;
  configured: readonly SigstoreTrustedRoot[];
  /** Absent: nothing is built in (the caller turned it off). */
  builtIn: SigstoreTrustedRoot | undefined;
}): { ok: true; root: SigstoreTrustedRoot } | { ok: false; detail: string } {
  const { leaf, configured, builtIn } = request;
  const issuer = issuerParts(leaf).join(", ");
  if (configured.length > 0) {
    const issuing = configured.find((root) => issued(root, leaf));
    if (issuing !== undefined) return { ok: true, root: issuing };
    if (configured.length === 1 && configured[0] !== undefined) return { ok: true, root: configured[0] };
    return {
      ok: false,
      detail:
        `the certificate was issued by ${issuer}, which is none of the certificate authorities of the ` +
        `configured trusted roots (${configured.map((r) => r.where).join("; ")})` +
        (fromGitHub(leaf) ? `; it needs GitHub's trusted root: ${GET_GITHUB_ROOT}` : ""),
    };
  }
  if (builtIn !== undefined && issued(builtIn, leaf)) return { ok: true, root: builtIn };
  if (fromGitHub(leaf)) {
    return {
      ok: false,
      detail:
        `the certificate was issued by GitHub's Sigstore instance (${issuer}), which signs for private ` +
        `repositories; only Sigstore's public-good root is built in, so GitHub's trusted root is needed: ` +
        GET_GITHUB_ROOT,
    };
  }
  return {
    ok: false,
    detail:
      `no Sigstore trusted root is configured, and the certificate's issuer ${issuer} is not Sigstore's ` +
      `public-good Fulcio (whose root is built in), so the certificate cannot be trusted: set ` +
      `AETHER_SIGSTORE_TRUSTED_ROOT to the trusted_root.json of the Sigstore instance that issued it`,
  };
}

/** Whether one of the root's certificate authority certificates signed the leaf. */
function issued(root: SigstoreTrustedRoot, leaf: X509Certificate): boolean {
  return root.authorities.some((ca) => {
    try {
      return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
    } catch {
      return false;
    }
  });
}

function fromGitHub(leaf: X509Certificate): boolean {
  return issuerParts(leaf).includes(GITHUB_ORGANIZATION);
}

/** The issuer's attributes, `O=GitHub, Inc.` unescaped (node writes `O=GitHub\, Inc.`). */
function issuerParts(leaf: X509Certificate): string[] {
  return leaf.issuer.split("\n").map((part) => part.replaceAll("\\,", ","));
}
