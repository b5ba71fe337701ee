import { bundleToJSON, type SerializedBundle } from "@sigstore/bundle";
import {
  DSSEBundleBuilder,
  FulcioSigner,
  InternalError,
  RekorWitness,
  TSAWitness,
  type Witness,
} from "@sigstore/sign";
import type { DsseEnvelope } from "../../../core/provenance/provenance-types.ts";
import type { ProvenanceSigner } from "../../../core/provenance/provenance-signer.ts";
import type { SigstoreEndpoints } from "./sigstore-endpoints.ts";

/** Sigstore signing failed: the message names the service and what to do, never the token. */
export class SigstoreSigningError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = "SigstoreSigningError";
  }
}

/** A Sigstore signer and the bundle (certificate, log entry) of the last envelope it signed. */
export interface SigstoreSigner extends ProvenanceSigner {
  lastBundle(): SerializedBundle | undefined;
}

/**
 * Keyless signing as `@actions/attest` does it (its `signPayload` assembles these same @sigstore/sign parts,
 * but hard-codes the service URLs): an ephemeral P-256 key, a certificate from Fulcio for the job's OIDC
 * identity, the signature witnessed by Rekor (or a timestamp authority).
 * @example createSigstoreSigner({ endpoints, getToken: () => fetchOidcToken({ …, audience: "sigstore" }) })
 */
export function createSigstoreSigner(request: {
  endpoints: SigstoreEndpoints;
  getToken: () => Promise<string>;
  timeoutMs?: number;
  retries?: number;
}): SigstoreSigner {
  const { endpoints } = request;
  const timeout = request.timeoutMs ?? 10_000;
  const retry = request.retries ?? 2;
  const witnesses: Witness[] = [];
  if (endpoints.rekorURL) {
    witnesses.push(
      new RekorWitness({ rekorBaseURL: endpoints.rekorURL, fetchOnConflict: true, timeout, retry }),
    );
  }
  if (endpoints.tsaServerURL) {
    witnesses.push(new TSAWitness({ tsaBaseURL: endpoints.tsaServerURL, timeout, retry }));
  }
  const signer = new FulcioSigner({
    identityProvider: { getToken: request.getToken },
    fulcioBaseURL: endpoints.fulcioURL,
    timeout,
    retry,
  });
  const builder = new DSSEBundleBuilder({ signer, witnesses });
  let last: SerializedBundle | undefined;
  return {
    kind: "sigstore",
    keyid: "",
    lastBundle: () => last,
    sign: async ({ payloadType, payload }) => {
      let serialized: SerializedBundle;
      try {
        serialized = bundleToJSON(await builder.create({ data: payload, type: payloadType }));
      } catch (error) {
        throw signingError(error, endpoints);
      }
      last = serialized;
      const envelope = serialized.dsseEnvelope;
      if (envelope === undefined)
        throw new SigstoreSigningError("Sigstore returned a bundle without a DSSE envelope");
      const result: DsseEnvelope = {
        payloadType: envelope.payloadType,
        payload: envelope.payload,
        signatures: envelope.signatures.map((s) =>
          s.keyid ? { keyid: s.keyid, sig: s.sig } : { sig: s.sig },
        ),
      };
      return result;
    },
  };
}

function signingError(error: unknown, endpoints: SigstoreEndpoints): SigstoreSigningError {
  if (!(error instanceof InternalError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new SigstoreSigningError(`Sigstore signing failed: ${detail}`, { cause: error });
  }
  // InternalError messages may quote the identity token (IDENTITY_TOKEN_PARSE_ERROR), so only the HTTP
  // status of a service's answer is passed on.
  const cause: unknown = error.cause;
  const http = cause instanceof Error && /^\(\d{3}\) /.test(cause.message) ? `: ${cause.message}` : "";
  const network = cause instanceof Error && http === "" ? ` (${cause.message.split("\n")[0]})` : "";
  switch (error.code) {
    case "IDENTITY_TOKEN_READ_ERROR":
      return new SigstoreSigningError(
        `could not get the job's OIDC token for Sigstore${cause instanceof Error ? `: ${cause.message}` : ""}`,
      );
    case "IDENTITY_TOKEN_PARSE_ERROR":
      return new SigstoreSigningError("the job's OIDC token is not a JWT Sigstore can read");
    case "CA_CREATE_SIGNING_CERTIFICATE_ERROR":
      return new SigstoreSigningError(
        `Fulcio (${endpoints.fulcioURL}) did not issue a signing certificate${http}${network}. ` +
          "Check fulcio-url, or sign with a key (signing-key) where Sigstore is not reachable.",
      );
    case "TLOG_CREATE_ENTRY_ERROR":
    case "TLOG_FETCH_ENTRY_ERROR":
      return new SigstoreSigningError(
        `Rekor (${endpoints.rekorURL ?? "?"}) did not log the signature${http}${network}. Check rekor-url.`,
      );
    case "TSA_CREATE_TIMESTAMP_ERROR":
      return new SigstoreSigningError(
        `the timestamp authority (${endpoints.tsaServerURL ?? "?"}) did not timestamp the signature${http}${network}`,
      );
  }
}
