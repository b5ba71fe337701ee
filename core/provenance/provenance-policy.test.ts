import { describe, expect, it } from "vitest";
import { provenancePolicy } from "./provenance-policy.ts";
import type { ProvenanceStatement } from "./provenance-types.ts";

const failed = {
  ok: false as const,
  check: "repository" as const,
  message: "provenance repository check failed: expected a, found b",
};
const missing = {
  ok: false as const,
  check: "missing" as const,
  message: "provenance missing check failed: none",
};
const passed = {
  ok: true as const,
  statement: {} as ProvenanceStatement,
  keyid: "k1",
  builderId: "https://b",
};

describe("provenancePolicy", () => {
  it("refuses any failure when provenance is required, with the failing check's message", () => {
    const decision = provenancePolicy({ required: true, result: failed });
    expect(decision).toMatchObject({ proceed: false, check: "repository" });
    expect(decision.proceed ? "" : decision.message).toContain("expected a, found b");
    expect(decision.proceed ? "" : decision.message).toContain("provenance is required");
    expect(provenancePolicy({ required: true, result: missing }).proceed).toBe(false);
  });

  it("goes on with an unverified label when provenance is not required", () => {
    expect(provenancePolicy({ required: false, result: failed })).toEqual({
      proceed: true,
      verified: false,
      label: "unverified: repository check failed",
      check: "repository",
      message: failed.message,
    });
    expect(provenancePolicy({ required: false, result: missing })).toMatchObject({
      label: "unverified: no provenance",
    });
  });

  it("labels a verified artifact as verified either way", () => {
    for (const required of [true, false]) {
      expect(provenancePolicy({ required, result: passed })).toEqual({
        proceed: true,
        verified: true,
        label: "verified",
        keyid: "k1",
        builderId: "https://b",
        signedBy: "key k1…",
      });
    }
  });
});
