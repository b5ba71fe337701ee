import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface OidcIssuer {
  /** `http://127.0.0.1:PORT`, the `iss` of its tokens. */
  url: string;
  /** A signed job token like GitHub Actions' (RS256 unless asked), with these claims over the defaults. */
  token(
    claims: Record<string, unknown>,
    options?: { alg?: "RS256" | "ES256"; kid?: string; key?: KeyObject },
  ): string;
  /** How many times its key set was fetched. */
  jwksFetches(): number;
  /**
   * The runner's token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL, answering `{"value": jwt}` to
   * `Authorization: Bearer <request token>`), issuing tokens with these claims and the audience asked for.
   */
  runner(claims: Record<string, unknown>): { requestUrl: string; requestToken: string };
  stop(): Promise<void>;
}

/**
 * An OpenID Connect issuer speaking the protocol GitHub Actions' does: a discovery document at
 * `/.well-known/openid-configuration` naming `jwks_uri`, a JWK set there (an RSA and an EC key), and tokens
 * signed with them.
 */
export async function startOidcIssuer(): Promise<OidcIssuer> {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  let fetches = 0;
  let runnerClaims: Record<string, unknown> = {};
  const REQUEST_TOKEN = "runner-request-token-0123456789";
  const server = createServer((request, response) => {
    const json = (body: unknown) =>
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (request.url === "/.well-known/openid-configuration")
      return json({ issuer: url, jwks_uri: `${url}/.well-known/jwks` });
    if (request.url === "/.well-known/jwks") {
      fetches += 1;
      return json({
        keys: [
          { ...rsa.publicKey.export({ format: "jwk" }), kid: "rsa-1", alg: "RS256", use: "sig" },
          { ...ec.publicKey.export({ format: "jwk" }), kid: "ec-1", alg: "ES256", use: "sig" },
        ],
      });
    }
    const asked = new URL(request.url ?? "/", url);
    if (asked.pathname === "/runner-token") {
      if (request.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) return response.writeHead(401).end();
      return json({ value: issue({ ...runnerClaims, aud: asked.searchParams.get("audience") }) });
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  function issue(
    claims: Record<string, unknown>,
    options: { alg?: "RS256" | "ES256"; kid?: string; key?: KeyObject } = {},
  ): string {
    const alg = options.alg ?? "RS256";
    const kid = options.kid ?? (alg === "RS256" ? "rsa-1" : "ec-1");
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: url,
      iat: now,
      nbf: now,
      exp: now + 300,
      sub: "repo:acme/shop:ref:refs/heads/main",
      ...claims,
    };
    const input = `${part({ alg, kid, typ: "JWT" })}.${part(payload)}`;
    const key = options.key ?? (alg === "RS256" ? rsa.privateKey : ec.privateKey);
    const signature = sign(
      "sha256",
      Buffer.from(input),
      alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key,
    );
    return `${input}.${signature.toString("base64url")}`;
  }

  return {
    url,
    token: issue,
    jwksFetches: () => fetches,
    runner(claims) {
      runnerClaims = claims;
      return { requestUrl: `${url}/runner-token?api-version=2.0`, requestToken: REQUEST_TOKEN };
    },
    stop: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
