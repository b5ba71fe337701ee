/** The job's OIDC token could not be had: the message says why and what to change in the workflow. */
export class OidcTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OidcTokenError";
  }
}

/**
 * Asks the runner for the job's OIDC token (the ACTIONS_ID_TOKEN_REQUEST_URL protocol: GET with the
 * audience added, `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answer `{"value": "<jwt>"}`).
 * Errors name the status, never the request token or the answer.
 * @example await fetchOidcToken({ requestUrl, requestToken, audience: "sigstore" })
 */
export async function fetchOidcToken(request: {
  requestUrl: string;
  requestToken: string;
  audience: string;
}): Promise<string> {
  const url = new URL(request.requestUrl);
  url.searchParams.set("audience", request.audience);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: "application/json", Authorization: `Bearer ${request.requestToken}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new OidcTokenError(
      `the runner's OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL, ${url.origin}) did not answer: ` +
        `${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    throw new OidcTokenError(
      `the runner refused an OIDC token for audience "${request.audience}" (HTTP ${response.status}); ` +
        "give the job `permissions: id-token: write`",
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  const value =
    body !== null && typeof body === "object" && "value" in body && typeof body.value === "string"
      ? body.value
      : undefined;
  if (value === undefined || value.split(".").length !== 3) {
    throw new OidcTokenError(
      `the runner's OIDC token service (${url.origin}) answered without a JWT in "value"`,
    );
  }
  return value;
}
