import { describe, expect, it } from "vitest";
import { previewExpiresAt, type LivePreview } from "./preview-lifetimes.ts";

const HOUR = 3_600_000;
const preview = (extendedUntil?: string): LivePreview => ({
  repository: "acme/shop",
  env: "pr-7",
  installationId: 1,
  prNumber: 7,
  sha: "a".repeat(40),
  apps: ["app"],
  lastDeployAt: new Date("2030-01-01T00:00:00Z"),
  extendedUntil: extendedUntil === undefined ? undefined : new Date(extendedUntil),
  lastSeq: "1",
});

describe("previewExpiresAt", () => {
  it("counts the time to live from the newest deploy", () => {
    expect(previewExpiresAt(preview(), HOUR).toISOString()).toBe("2030-01-01T01:00:00.000Z");
  });

  it("takes an extension only when it is later", () => {
    expect(previewExpiresAt(preview("2030-01-01T05:00:00Z"), HOUR).toISOString()).toBe(
      "2030-01-01T05:00:00.000Z",
    );
    expect(previewExpiresAt(preview("2029-12-31T00:00:00Z"), HOUR).toISOString()).toBe(
      "2030-01-01T01:00:00.000Z",
    );
  });
});
