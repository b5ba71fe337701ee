/** Where a Sigstore signature is made: the certificate authority and a transparency log or timestamp. */
export interface SigstoreEndpoints {
  fulcioURL: string;
  rekorURL?: string;
  tsaServerURL?: string;
}

export const PUBLIC_GOOD: SigstoreEndpoints = {
  fulcioURL: "https://fulcio.sigstore.dev",
  rekorURL: "https://rekor.sigstore.dev",
};

/**
 * The Sigstore instance to sign with, chosen as `@actions/attest` chooses it: Sigstore's public instance
 * (whose log is public) only for a public repository; GitHub's own instance otherwise, so a private
 * repository's name never lands in a public log. `fulcio-url`/`rekor-url` override the choice.
 * @example sigstoreEndpoints({ fulcioUrl: "", rekorUrl: "", visibility: "public", serverUrl: "https://github.com" })
 */
export function sigstoreEndpoints(request: {
  fulcioUrl: string;
  rekorUrl: string;
  /** `repository.visibility` from the event payload, when it has one. */
  visibility: string | undefined;
  serverUrl: string;
}): SigstoreEndpoints {
  const rekor = request.rekorUrl === "" ? {} : { rekorURL: request.rekorUrl };
  if (request.fulcioUrl !== "") return { fulcioURL: request.fulcioUrl, ...rekor };
  if (request.visibility === "public") return { ...PUBLIC_GOOD, ...rekor };
  let host = new URL(request.serverUrl).hostname;
  if (host === "github.com") host = "githubapp.com";
  return { fulcioURL: `https://fulcio.${host}`, tsaServerURL: `https://timestamp.${host}`, ...rekor };
}
