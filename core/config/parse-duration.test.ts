import { describe, expect, it } from "vitest";
import { parseDuration } from "./parse-duration.ts";

describe("parseDuration", () => {
  it("reads single and combined units", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("1d12h")).toBe(129_600_000);
    expect(parseDuration("2w")).toBe(1_209_600_000);
  });

  it("refuses what is not a duration", () => {
    for (const text of ["", "7", "d", "7 days", "-1d", "1.5h"]) expect(parseDuration(text)).toBeUndefined();
  });
});
