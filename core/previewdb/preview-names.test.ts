import { describe, expect, it } from "vitest";
import { parseLabel, encodeLabel } from "./database-label.ts";
import { MAX_IDENTIFIER_BYTES, previewNames, templateName } from "./preview-names.ts";
import { quoteIdent, quoteLiteral } from "./quote-sql.ts";

describe("previewNames", () => {
  it("is readable, stable and valid as an unquoted identifier", () => {
    const names = previewNames({ repository: "Octo/Shop-App", env: "pr-123" });
    expect(names.database).toMatch(/^aether_octo_shop_app_pr_123_[0-9a-f]{10}$/);
    expect(names).toEqual(previewNames({ repository: "Octo/Shop-App", env: "pr-123" }));
    expect(names.keyPrefix).toBe("aether:Octo/Shop-App:pr-123:");
  });

  it("differs where slugs collide", () => {
    const a = previewNames({ repository: "o/a-b", env: "pr-1" }).database;
    const b = previewNames({ repository: "o/a.b", env: "pr-1" }).database;
    const c = previewNames({ repository: "o/a", env: "b-pr-1" }).database;
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("stays within 63 bytes for long and non-ASCII names", () => {
    const long = previewNames({
      repository: `${"x".repeat(100)}/${"y".repeat(100)}`,
      env: "ünïcødé-".repeat(20),
    });
    expect(Buffer.byteLength(long.database)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    expect(long.database).toMatch(/^[a-z0-9_]+$/);
    const tpl = templateName({ repository: "z".repeat(200), inputHash: "ab".repeat(32) });
    expect(Buffer.byteLength(tpl)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
  });
});

describe("quoting", () => {
  it("escapes identifiers and literals", () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("it's \\ fine")).toBe("'it''s \\ fine'");
    expect(() => quoteIdent("a\0b")).toThrow(/NUL/);
    expect(() => quoteLiteral("a\0b")).toThrow(/NUL/);
  });
});

describe("labels", () => {
  it("round-trips and rejects other comments", () => {
    const label = {
      aether: 1,
      kind: "preview",
      repository: "o/r",
      env: "pr-1",
      expiresAt: "2030-01-01T00:00:00.000Z",
      template: null,
    } as const;
    expect(parseLabel(encodeLabel(label))).toEqual(label);
    for (const other of [
      null,
      "",
      "hello",
      "{",
      '{"aether":2}',
      '{"aether":1,"kind":"x"}',
      "[1]",
      '{"aether":1,"kind":"preview","repository":"r","env":"e","expiresAt":"soon","template":null}',
    ]) {
      expect(parseLabel(other)).toBeUndefined();
    }
  });
});
