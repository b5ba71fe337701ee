import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "./redact.ts";

describe("createRedactor", () => {
  it("hides known secret values wherever they appear, longest first", () => {
    const redact = createRedactor(["s3cr3t-value", "s3cr3t-value-and-more"]);
    expect(redact("a=s3cr3t-value b=s3cr3t-value-and-more")).toBe(`a=${REDACTED} b=${REDACTED}`);
  });

  it("leaves short values alone so ordinary words survive", () => {
    expect(createRedactor(["true", "1"])("verbose=true level=1")).toBe("verbose=true level=1");
  });

  it("hides credentials by their shape", () => {
    const redact = createRedactor();
    const token = `ghs_${"a".repeat(36)}`;
    expect(redact(`token ${token} end`)).toBe(`token ${REDACTED} end`);
    expect(redact(`github_pat_${"B".repeat(40)}`)).toBe(REDACTED);
    expect(redact("key AKIAABCDEFGHIJKLMNOP used")).toBe(`key ${REDACTED} used`);
    expect(redact("Authorization: Bearer abc.def-ghi_jkl")).toBe(`Authorization: Bearer ${REDACTED}`);
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIBVQ\nabc\n-----END PRIVATE KEY-----";
    expect(redact(`key:\n${pem}\nafter`)).toBe(`key:\n${REDACTED}\nafter`);
  });

  it("keeps the user but hides the password of a URL", () => {
    const redact = createRedactor();
    expect(redact("DATABASE_URL=postgres://pr_42:Zx9pQ2@db:5432/pr_42")).toBe(
      `DATABASE_URL=postgres://pr_42:${REDACTED}@db:5432/pr_42`,
    );
    expect(redact("see https://example.com/a@b")).toBe("see https://example.com/a@b");
  });
});
