import { describe, expect, it } from "vitest";
import { createTokenCache } from "./token-cache.ts";

describe("the installation token cache", () => {
  it("forgets a token five minutes before GitHub's expiry", () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const cache = createTokenCache({ now: () => now });
    cache.set("77", "ghs_x|2026-01-01T00:00:00Z|2026-01-01T01:00:00Z|all||");
    now += 54 * 60 * 1000;
    expect(cache.get("77")).toBe("ghs_x|2026-01-01T00:00:00Z|2026-01-01T01:00:00Z|all||");
    now += 2 * 60 * 1000;
    expect(cache.get("77")).toBeUndefined();
    expect(cache.get("78")).toBeUndefined();
  });
});
