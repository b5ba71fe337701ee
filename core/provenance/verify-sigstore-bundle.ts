import type { Bundle, SerializedBundle } from "@sigstore/bundle";
import { toSignedEntity, Verifier, VerificationError, type Signer } from "@sigstore/verify";
import { X509Certificate, verify } from "node:crypto";
import { chooseTrustedRoot } from "./choose-trusted-root.ts";
import { readFulcioExtensions } from "./fulcio-extensions.ts";
import { keyIdOf } from "./key-id.ts";
import { pae } from "./pae.ts";
import type { FailedCheck, ProvenanceCheck } from "./provenance-checks.ts";
import { publicGoodTrustedRoot } from "./public-good-trusted-root.ts";
import { readSigstoreBundle } from "./read-sigstore-bundle.ts";
import { checkSigstoreIdentity, type SigstoreIdentityPolicy } from "./sigstore-identity-policy.ts";
import type { SigstoreTrustedRoot } from "./sigstore-trust-root.ts";

export interface VerifySigstoreBundleRequest {
  bundle: SerializedBundle;
  /** The roots configured (AETHER_SIGSTORE_TRUSTED_ROOT, every line of a JSON-lines file): they win. */
  trustedRoots: readonly SigstoreTrustedRoot[];
  /**
   * The root for certificates it issued when none is configured: default Sigstore's public-good root (built
   * in); `false`: none, so an unconfigured verifier trusts nothing.
   */
  builtInRoot?: SigstoreTrustedRoot | false | undefined;
  identity: SigstoreIdentityPolicy;
}

export type SigstoreBundleVerification =
  | {
      ok: true;
      payloadType: string;
      /** The signed payload, verified: the statement's checks come next. */
      body: Buffer;
      /** The certificate's SAN (the workflow URI). */
      identity: string;
      issuer: string;
      /** The repository whose workflow run signed (the caller's, for a reusable workflow). */
      repository: string;
      /** The workflow that signed: the Build Signer URI, or the SAN. */
      signer: string;
      /** The commit the run built, when the certificate says (Source Repository Digest). */
      sourceDigest?: string;
      /** Which trusted root vouched for the certificate (its `where`). */
      trustedRoot: string;
      /** The fingerprint of the certificate's (ephemeral) key, as Aether writes keyids. */
      keyid: string;
      logIndex?: string;
    }
  | FailedCheck;

/**
 * Verifies a Sigstore bundle holding a DSSE envelope, as `cosign`/`gh attestation verify` do: the envelope's
 * signature with the certificate's key (`signature`), the certificate's chain to a certificate authority of
 * the trusted root at the signing time, with SCTs when the root lists CT logs (`certificate`), every
 * transparency log entry's signed entry timestamp or inclusion proof against the root's log keys and its
 * body against the envelope, or a timestamp authority's timestamp when there is no log entry
 * (`transparency-log`), and the certificate's identity against the policy (`identity`). The root is the
 * configured one whose authority issued the certificate, else the built-in public-good root for its
 * certificates (`chooseTrustedRoot`).
 */
export function verifySigstoreBundle(request: VerifySigstoreBundleRequest): SigstoreBundleVerification {
  const fail = (check: ProvenanceCheck, detail: string): FailedCheck => ({ ok: false, check, detail });
  let bundle: Bundle;
  try {
    bundle = readSigstoreBundle(request.bundle);
  } catch (error) {
    return fail("payload", `not a valid Sigstore bundle (${(error as Error).message})`);
  }
  if (bundle.content.$case !== "dsseEnvelope") {
    return fail("payload", "the Sigstore bundle holds a message signature, not a DSSE envelope");
  }
  const envelope = bundle.content.dsseEnvelope;
  const material = bundle.verificationMaterial;
  const key = material.content;
  const raw =
    key.$case === "certificate"
      ? key.certificate.rawBytes
      : key.$case === "x509CertificateChain"
        ? key.x509CertificateChain.certificates[0]?.rawBytes
        : undefined;
  if (raw === undefined) {
    return fail("certificate", "the Sigstore bundle has no certificate (a public-key bundle is not keyless)");
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(raw);
  } catch (error) {
    return fail("certificate", `the bundle's certificate does not parse (${(error as Error).message})`);
  }
  // Checked before the log entries, so a changed statement is reported as such rather than as a log
  // entry whose payload hash no longer matches.
  const body = envelope.payload;
  const message = pae(envelope.payloadType, body);
  const signed = envelope.signatures.some((s) => {
    try {
      return verify("sha256", message, leaf.publicKey, s.sig);
    } catch {
      return false;
    }
  });
  if (!signed) {
    return fail(
      "signature",
      "the envelope's signature does not verify with the key of the bundle's certificate: the statement " +
        "was changed after signing",
    );
  }
  const chosen = chooseTrustedRoot({
    leaf,
    configured: request.trustedRoots,
    builtIn: request.builtInRoot === false ? undefined : (request.builtInRoot ?? publicGoodTrustedRoot()),
  });
  if (!chosen.ok) return fail("certificate", chosen.detail);
  const trustedRoot = chosen.root;
  const hasLogEntries = material.tlogEntries.length > 0;
  const verifier = new Verifier(trustedRoot.material, {
    ctlogThreshold: trustedRoot.material.ctlogs.length > 0 ? 1 : 0,
    tlogThreshold: hasLogEntries ? 1 : 0,
    tsaThreshold: hasLogEntries ? 0 : 1,
  });
  let signer: Signer;
  try {
    signer = verifier.verify(toSignedEntity(bundle));
  } catch (error) {
    return fail(checkOf(error), `${describe(error)} (trusted root ${trustedRoot.where})`);
  }
  const identity = {
    subjectAlternativeName: signer.identity?.subjectAlternativeName,
    issuer: signer.identity?.extensions?.issuer,
    extensions: readFulcioExtensions(leaf),
  };
  const allowed = checkSigstoreIdentity(identity, request.identity);
  if (!allowed.ok) return fail("identity", allowed.detail);
  const logIndex = material.tlogEntries[0]?.logIndex;
  return {
    ok: true,
    payloadType: envelope.payloadType,
    body,
    identity: identity.subjectAlternativeName ?? "",
    issuer: identity.issuer ?? "",
    repository: allowed.repository,
    signer: allowed.signer,
    ...(allowed.sourceDigest === undefined ? {} : { sourceDigest: allowed.sourceDigest }),
    trustedRoot: trustedRoot.where,
    keyid: keyIdOf(leaf.publicKey),
    ...(logIndex === undefined ? {} : { logIndex }),
  };
}

function checkOf(error: unknown): ProvenanceCheck {
  if (!(error instanceof VerificationError)) return "certificate";
  switch (error.code) {
    case "SIGNATURE_ERROR":
      return "signature";
    case "TLOG_INCLUSION_PROOF_ERROR":
    case "TLOG_INCLUSION_PROMISE_ERROR":
    case "TLOG_MISSING_INCLUSION_ERROR":
    case "TLOG_BODY_ERROR":
    case "TIMESTAMP_ERROR":
      return "transparency-log";
    default:
      return "certificate";
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const because = cause instanceof Error && cause.message !== error.message ? `: ${cause.message}` : "";
  return `${error.message}${because}`;
}
