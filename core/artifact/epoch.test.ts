import { describe, expect, it } from "vitest";
import { DEFAULT_EPOCH, epochFromEnv, MAX_EPOCH, SourceDateEpochError } from "./epoch.ts";

describe("epochFromEnv", () => {
  it("uses 1980-01-01 when SOURCE_DATE_EPOCH is unset or empty", () => {
    expect(DEFAULT_EPOCH).toBe(Date.UTC(1980, 0, 1) / 1000);
    expect(epochFromEnv({})).toBe(DEFAULT_EPOCH);
    expect(epochFromEnv({ SOURCE_DATE_EPOCH: "" })).toBe(DEFAULT_EPOCH);
    expect(epochFromEnv({ SOURCE_DATE_EPOCH: undefined })).toBe(DEFAULT_EPOCH);
  });

  it("reads whole seconds", () => {
    expect(epochFromEnv({ SOURCE_DATE_EPOCH: "1700000000" })).toBe(1_700_000_000);
    expect(epochFromEnv({ SOURCE_DATE_EPOCH: " 0\n" })).toBe(0);
    expect(epochFromEnv({ SOURCE_DATE_EPOCH: String(MAX_EPOCH) })).toBe(MAX_EPOCH);
  });

  it.each(["1.5", "-1", "soon", "1e9", "0x10", "12 34"])("refuses %j with a clear error", (value) => {
    expect(() => epochFromEnv({ SOURCE_DATE_EPOCH: value })).toThrow(SourceDateEpochError);
    expect(() => epochFromEnv({ SOURCE_DATE_EPOCH: value })).toThrow(
      `SOURCE_DATE_EPOCH is "${value}": not a non-negative integer`,
    );
  });

  it("refuses a time a tar header cannot hold", () => {
    expect(() => epochFromEnv({ SOURCE_DATE_EPOCH: String(MAX_EPOCH + 1) })).toThrow(
      /most a tar header holds/,
    );
  });
});
