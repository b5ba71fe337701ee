import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from "node:crypto";

/** GitHub Actions' OIDC issuer, whose tokens a job gets with `permissions: id-token: write`. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** The claims of a verified job token that decide what it may deploy. */
export interface OidcIdentity {
  repository: string;
  /** The job's `environment:`, when it has one (GitHub's protection rules ran before the token was issued). */
  environment?: string;
  ref?: string;
  sha?: string;
  workflowRef?: string;
}

export type OidcVerdict = { ok: true; identity: OidcIdentity } | { ok: false; reason: string };

type FetchJson = (url: string) => Promise<unknown>;

/** Whether a bearer credential has a JWT's shape (three base64url parts), as opposed to a scoped API token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * Verifies OIDC tokens of one issuer for one audience: the signature with the issuer's published keys (found
 * through its discovery document, refreshed when a token names an unknown key, at most once a minute), then
 * `iss`, `aud`, `exp`, `nbf`/`iat` with a minute of clock skew, and a `repository` claim. RS256 and ES256 only;
 * `alg: none` and HMAC are refused, as is any key the issuer did not publish.
 */
export function createOidcVerifier(options: {
  issuer: string;
  audience: string;
  fetchJson?: FetchJson;
  now?: () => number;
}) {
  const issuer = options.issuer.replace(/\/$/, "");
  const fetchJson = options.fetchJson ?? defaultFetchJson;
  const now = options.now ?? (() => Date.now());
  let keys = new Map<string, KeyObject>();
  let fetchedAt = -Infinity;
  const refresh = async () => {
    if (now() - fetchedAt < 60_000) return;
    fetchedAt = now();
    const discovery = await fetchJson(`${issuer}/.well-known/openid-configuration`);
    const jwksUri = field(discovery, "jwks_uri");
    if (typeof jwksUri !== "string") throw new Error(`${issuer} publishes no jwks_uri`);
    const jwks = await fetchJson(jwksUri);
    const list = field(jwks, "keys");
    const next = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(list) ? list : []) {
      const kid = field(jwk, "kid");
      if (typeof kid !== "string") continue;
      try {
        next.set(kid, createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }));
      } catch {
        // A key type node:crypto cannot read is simply not trusted.
      }
    }
    keys = next;
  };
  return async (token: string): Promise<OidcVerdict> => {
    const [head, body, signature] = token.split(".");
    if (head === undefined || body === undefined || signature === undefined || !looksLikeJwt(token))
      return { ok: false, reason: "not a JWT" };
    const header = decodePart(head);
    const claims = decodePart(body);
    if (header === undefined || claims === undefined) return { ok: false, reason: "undecodable JWT" };
    const alg = field(header, "alg");
    const kid = field(header, "kid");
    if (alg !== "RS256" && alg !== "ES256")
      return { ok: false, reason: `algorithm ${String(alg)} not accepted` };
    if (typeof kid !== "string") return { ok: false, reason: "no key id" };
    if (!keys.has(kid)) await refresh();
    const key = keys.get(kid);
    if (key === undefined) return { ok: false, reason: `key ${kid} is not one of ${issuer}'s` };
    const signed = verifySignature(
      "sha256",
      Buffer.from(`${head}.${body}`),
      alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key,
      Buffer.from(signature, "base64url"),
    );
    if (!signed) return { ok: false, reason: "bad signature" };
    if (field(claims, "iss") !== issuer) return { ok: false, reason: "wrong issuer" };
    const aud = field(claims, "aud");
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(options.audience))
      return { ok: false, reason: `audience is not ${options.audience}` };
    const seconds = now() / 1000;
    const exp = field(claims, "exp");
    if (typeof exp !== "number" || exp < seconds - 60) return { ok: false, reason: "expired" };
    for (const name of ["nbf", "iat"]) {
      const at = field(claims, name);
      if (typeof at === "number" && at > seconds + 60)
        return { ok: false, reason: `${name} is in the future` };
    }
    const repository = field(claims, "repository");
    if (typeof repository !== "string" || repository === "")
      return { ok: false, reason: "no repository claim" };
    const text = (name: string) => {
      const value = field(claims, name);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    const identity: OidcIdentity = { repository };
    const optional = {
      environment: "environment",
      ref: "ref",
      sha: "sha",
      workflowRef: "job_workflow_ref",
    } as const;
    for (const [key, claim] of Object.entries(optional)) {
      const value = text(claim);
      if (value !== undefined) identity[key as keyof typeof optional] = value;
    }
    return { ok: true, identity };
  };
}

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return await response.json();
}
