import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcIssuer, type OidcIssuer } from "../../test/support/oidc-issuer.ts";
import { createOidcVerifier, looksLikeJwt } from "./github-oidc.ts";

const AUDIENCE = "https://aether.example.com";
let issuer: OidcIssuer;

beforeAll(async () => {
  issuer = await startOidcIssuer();
});
afterAll(() => issuer.stop());

const claims = { aud: AUDIENCE, repository: "acme/shop", environment: "production", ref: "refs/heads/main" };

describe("createOidcVerifier", () => {
  it("accepts a job token of the issuer for our audience, RS256 or ES256, and reads its claims", async () => {
    const verify = createOidcVerifier({ issuer: issuer.url, audience: AUDIENCE });
    expect(await verify(issuer.token(claims))).toEqual({
      ok: true,
      identity: { repository: "acme/shop", environment: "production", ref: "refs/heads/main" },
    });
    expect((await verify(issuer.token(claims, { alg: "ES256" }))).ok).toBe(true);
    expect(issuer.jwksFetches()).toBe(1);
  });

  it("refuses another audience, issuer, an expired or future token, and one without a repository", async () => {
    const verify = createOidcVerifier({ issuer: issuer.url, audience: AUDIENCE });
    const now = Math.floor(Date.now() / 1000);
    const refused = async (extra: Record<string, unknown>) => verify(issuer.token({ ...claims, ...extra }));
    expect(await refused({ aud: "https://elsewhere.example.com" })).toMatchObject({
      ok: false,
      reason: /audience/,
    });
    expect(await refused({ iss: "https://token.actions.githubusercontent.com" })).toMatchObject({
      reason: "wrong issuer",
    });
    expect(await refused({ exp: now - 120 })).toMatchObject({ reason: "expired" });
    expect(await refused({ nbf: now + 600 })).toMatchObject({ reason: "nbf is in the future" });
    expect(await refused({ repository: undefined })).toMatchObject({ reason: "no repository claim" });
  });

  it("refuses forged tokens: another key under a known kid, an unknown kid, alg none or HS256, a changed payload", async () => {
    const verify = createOidcVerifier({ issuer: issuer.url, audience: AUDIENCE });
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(await verify(issuer.token(claims, { key: stranger }))).toMatchObject({ reason: "bad signature" });
    expect(await verify(issuer.token(claims, { kid: "rsa-9", key: stranger }))).toMatchObject({
      reason: /key rsa-9 is not one of/,
    });
    const [head, body, signature] = issuer.token(claims).split(".");
    const swap = (h: unknown) =>
      `${Buffer.from(JSON.stringify(h)).toString("base64url")}.${body}.${signature}`;
    expect(await verify(swap({ alg: "none", kid: "rsa-1" }))).toMatchObject({ reason: /algorithm none/ });
    expect(await verify(swap({ alg: "HS256", kid: "rsa-1" }))).toMatchObject({ reason: /algorithm HS256/ });
    const other = Buffer.from(
      JSON.stringify({ ...claims, iss: issuer.url, exp: 4102444800, repository: "evil/repo" }),
    ).toString("base64url");
    expect(await verify(`${head}.${other}.${signature}`)).toMatchObject({ reason: "bad signature" });
    expect(await verify("not.a-jwt")).toMatchObject({ reason: "not a JWT" });
  });

  it("tells a JWT from a scoped API token by its shape", () => {
    expect(looksLikeJwt(issuer.token(claims))).toBe(true);
    expect(looksLikeJwt("tok_0123456789abcdefghij")).toBe(false);
  });
});
