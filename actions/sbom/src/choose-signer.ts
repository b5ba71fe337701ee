import { createPublicKey } from "node:crypto";
import { createEd25519Signer } from "../../../core/provenance/create-ed25519-signer.ts";
import type { ProvenanceSigner } from "../../../core/provenance/provenance-signer.ts";
import { readSigningKey } from "../../../core/provenance/read-signing-key.ts";
import { fetchOidcToken } from "./fetch-oidc-token.ts";
import type { SigstoreEndpoints } from "./sigstore-endpoints.ts";
import { createSigstoreSigner, type SigstoreSigner } from "./sigstore-signer.ts";

export type SignerChoice =
  | { kind: "sigstore"; signer: SigstoreSigner; endpoints: SigstoreEndpoints }
  | { kind: "ed25519"; signer: ProvenanceSigner; publicKeyPem: string; where: string }
  | { kind: "none"; reason: string };

/**
 * How this job signs: Sigstore when the runner hands out OIDC tokens (the job has `id-token: write`), else
 * the Ed25519 key of the `signing-key` input or AETHER_SIGNING_KEY, else not at all (the caller warns).
 */
export async function chooseSigner(request: {
  env: Readonly<Record<string, string | undefined>>;
  signingKey: string;
  endpoints: SigstoreEndpoints;
}): Promise<SignerChoice> {
  const { env } = request;
  const requestUrl = env["ACTIONS_ID_TOKEN_REQUEST_URL"];
  const requestToken = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
  if (requestUrl && requestToken) {
    const signer = createSigstoreSigner({
      endpoints: request.endpoints,
      getToken: () => fetchOidcToken({ requestUrl, requestToken, audience: "sigstore" }),
    });
    return { kind: "sigstore", signer, endpoints: request.endpoints };
  }
  const where = request.signingKey !== "" ? "input signing-key" : "AETHER_SIGNING_KEY";
  const value = request.signingKey !== "" ? request.signingKey : env["AETHER_SIGNING_KEY"];
  if (value !== undefined && value.trim() !== "") {
    const pem = await readSigningKey(value, where);
    const signer = createEd25519Signer(pem, where);
    const publicKeyPem = createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
    return { kind: "ed25519", signer, publicKeyPem, where };
  }
  return {
    kind: "none",
    reason:
      "the provenance is not signed: the job has no `id-token: write` permission (for Sigstore) and no " +
      "signing-key input or AETHER_SIGNING_KEY (for an Ed25519 key) is set",
  };
}
