import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { refRecordOf } from "./ref-record-of.ts";

describe("refRecordOf", () => {
  it("records the app's folder and the build's figures: everything before the upload is the build", () => {
    const record = refRecordOf(
      {
        digest: digestOf("artifact"),
        timings: { detect: 12.4, build: 2000.2, pack: 387.9, upload: 180.6 },
        bytesUploaded: 9_000,
        bytesReused: 742_000,
      },
      { path: "apps/web", builder: "aether-cli", builtAt: new Date("2030-01-02T03:04:05Z") },
    );
    expect(record).toEqual({
      digest: digestOf("artifact"),
      path: "apps/web",
      builtAt: "2030-01-02T03:04:05.000Z",
      builder: "aether-cli",
      timings: { buildMs: 2401, uploadMs: 181 },
      bytes: { uploaded: 9_000, reused: 742_000 },
    });
  });
});
