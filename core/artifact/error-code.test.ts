import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorCode } from "./error-code.ts";

describe("errorCode", () => {
  it("reads the code of a real system error", () => {
    const dir = mkdtempSync(join(tmpdir(), "aether-code-"));
    try {
      let caught: unknown;
      try {
        mkdirSync(dir);
      } catch (error) {
        caught = error;
      }
      expect(errorCode(caught)).toBe("EEXIST");
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("is undefined for anything without a string code", () => {
    expect(errorCode(new Error("plain"))).toBeUndefined();
    expect(errorCode({ code: 5 })).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
    expect(errorCode("EEXIST")).toBeUndefined();
  });
});
