import type { SerializedBundle } from "@sigstore/bundle";
import { X509Certificate, verify } from "node:crypto";
import type { Digest } from "../../../core/artifact/digest.ts";
import { pae } from "../../../core/provenance/pae.ts";

/**
 * Checks a Sigstore bundle as far as can be done offline: the DSSE signature verifies with the public key
 * of the certificate Fulcio issued, and the statement names the artifact. The certificate's chain to
 * Sigstore's root and the log's inclusion are for a verifier holding Sigstore's trust root (TUF).
 */
export function verifySigstoreEnvelope(
  bundle: SerializedBundle,
  artifact: Digest,
): { ok: true; identity: string } | { ok: false; message: string } {
  const material = bundle.verificationMaterial;
  const raw = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes;
  const envelope = bundle.dsseEnvelope;
  if (raw === undefined || envelope === undefined) {
    return { ok: false, message: "the Sigstore bundle has no certificate or no DSSE envelope" };
  }
  const certificate = new X509Certificate(Buffer.from(raw, "base64"));
  const payload = Buffer.from(envelope.payload, "base64");
  const message = pae(envelope.payloadType, payload);
  const signed = envelope.signatures.some((s) =>
    verify("sha256", message, certificate.publicKey, Buffer.from(s.sig, "base64")),
  );
  if (!signed)
    return { ok: false, message: "the signature does not verify with the Fulcio certificate's key" };
  const statement = JSON.parse(payload.toString("utf8")) as { subject?: { digest?: { sha256?: string } }[] };
  const hex = artifact.slice("sha256:".length);
  if (!statement.subject?.some((s) => s.digest?.sha256 === hex)) {
    return { ok: false, message: `the statement does not name the artifact ${artifact}` };
  }
  return { ok: true, identity: certificateIdentity(certificate) };
}

/** The signer's identity in a Fulcio certificate: its SAN (the workflow URI for GitHub Actions). */
function certificateIdentity(certificate: X509Certificate): string {
  const first = (certificate.subjectAltName ?? "").split(", ")[0] ?? "";
  return first.replace(/^(URI|email):/, "") || certificate.subject;
}
