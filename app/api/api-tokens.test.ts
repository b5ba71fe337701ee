import { describe, expect, it } from "vitest";
import { ApiTokensError, isKnownToken, parseApiTokens, tokenAllows } from "./api-tokens.ts";

const SHOP = "tok_shop_0123456789abcdef";
const ORG = "tok_org_0123456789abcdef";
const ALL = "tok_all_0123456789abcdef";

describe("API tokens", () => {
  const tokens = parseApiTokens(`acme/shop=${SHOP}, acme/*=${ORG}\n*=${ALL}`);

  it("allows a token only on the repositories its scope covers", () => {
    expect(tokenAllows(tokens, `Bearer ${SHOP}`, "acme/shop")).toBe(true);
    expect(tokenAllows(tokens, `Bearer ${SHOP}`, "acme/blog")).toBe(false);
    expect(tokenAllows(tokens, `bearer ${ORG}`, "ACME/Blog")).toBe(true);
    expect(tokenAllows(tokens, `Bearer ${ORG}`, "other/blog")).toBe(false);
    expect(tokenAllows(tokens, `Bearer ${ALL}`, "other/blog")).toBe(true);
  });

  it("refuses a missing, malformed or unknown token", () => {
    expect(tokenAllows(tokens, undefined, "acme/shop")).toBe(false);
    expect(tokenAllows(tokens, SHOP, "acme/shop")).toBe(false);
    expect(tokenAllows(tokens, `Bearer ${SHOP}x`, "acme/shop")).toBe(false);
    expect(isKnownToken(tokens, `Bearer ${SHOP}`)).toBe(true);
    expect(isKnownToken(tokens, "Bearer nope")).toBe(false);
    expect(tokenAllows([], `Bearer ${SHOP}`, "acme/shop")).toBe(false);
  });

  it("says which entry is wrong without printing its token", () => {
    expect(parseApiTokens(undefined)).toEqual([]);
    expect(() => parseApiTokens(`acme=${SHOP}`)).toThrow(ApiTokensError);
    expect(() => parseApiTokens(`acme/shop=${SHOP},acme/blog=short`)).toThrow(
      "AETHER_API_TOKENS entry 2 (acme/blog): the token is shorter than 20 characters",
    );
    try {
      parseApiTokens(`bad scope=${SHOP}`);
    } catch (error) {
      expect(String(error)).not.toContain(SHOP);
    }
  });
});
