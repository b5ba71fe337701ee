import { describe, expect, it } from "vitest";
import { createRedactor } from "../redact/redact.ts";
import { commentMarker, renderPreviewComment } from "./preview-comment.ts";

const DIGEST = `sha256:5e1c${"0".repeat(56)}a9f0` as const;
const redact = createRedactor(["hunter2-secret"]);

describe("renderPreviewComment", () => {
  it("shows a ready preview like the UX sketch", () => {
    const body = renderPreviewComment(
      {
        env: "pr-42",
        status: "ready",
        url: "https://pr-42.preview.acme.dev",
        commit: { sha: "a1b2c3d4e5f6", message: "Fix checkout total\n\nlong body" },
        artifact: { digest: DIGEST, provenance: "verified", sbomComponents: 412 },
        database: { name: "pr-42", template: "migrations@9f3e", readyMs: 84 },
        expiresAt: "in 7 days",
        timings: { build: 2400, upload: 200, start: 2900, healthy: 600, total: 6100 },
        bytesUploaded: 80_000,
        bytesReused: 1_920_000,
        responseTimes: { preview: { p50: 18, p95: 41 }, production: { p50: 17, p95: 39 } },
      },
      redact,
    );
    expect(body.startsWith(commentMarker("pr-42"))).toBe(true);
    expect(body).toContain("### 🚀 Preview ready: [pr-42.preview.acme.dev](https://pr-42.preview.acme.dev)");
    expect(body).toContain('| Commit | `a1b2c3d` "Fix checkout total" |');
    expect(body).toContain("| Artifact | `sha256:5e1c…a9f0` · provenance ✔ verified · SBOM 412 components |");
    expect(body).toContain("| Database | `pr-42` from template `migrations@9f3e` · ready in 84 ms |");
    expect(body).toContain("**Latency** (this deploy: 6.1 s)");
    expect(body).toContain("| build | upload | rollout | healthy | total |");
    expect(body).toContain("| 2.4 s | 200 ms (80.0 kB sent, 96% reused) | 2.9 s | 600 ms | **6.1 s** |");
    expect(body).toContain("p50 18 ms · p95 41 ms — production p50 17 ms · p95 39 ms");
    expect(body).toContain("`/deploy [app] [to ENV]`");
  });

  it("shows a failure with its phase and redacted log lines", () => {
    const body = renderPreviewComment(
      {
        env: "pr-7",
        status: "failed",
        commit: { sha: "0123456789", message: "try | things `now`" },
        failure: {
          phase: "healthy",
          message: "GET /health never answered 200 within 30 s",
          logTail: ["connecting with password hunter2-secret", "```injected```"],
        },
      },
      redact,
    );
    expect(body).toContain("### ❌ Preview `pr-7` failed at **healthy**");
    expect(body).toContain("> GET /health never answered 200 within 30 s");
    expect(body).toContain("connecting with password ***");
    expect(body).not.toContain("hunter2-secret");
    expect(body).toContain('"try \\| things ʼnowʼ"');
    expect(body.match(/```/g)).toHaveLength(2);
    expect(body).toContain("Retry with `/deploy`.");
  });

  it("says an expired preview was removed and how to bring it back, without an expiry", () => {
    const body = renderPreviewComment(
      { env: "pr-9", status: "expired", commit: { sha: "abcdef0", message: "x" }, expiresAt: "in 2 days" },
      (t) => t,
    );
    expect(body).toContain("### ⌛ Preview `pr-9` expired and was removed");
    expect(body).toContain("comment `/deploy` to bring it back");
    expect(body).not.toContain("| Expires |");
  });

  it("says a closed preview was removed, without an expiry", () => {
    const body = renderPreviewComment(
      { env: "pr-9", status: "closed", commit: { sha: "abcdef0", message: "x" }, expiresAt: "in 2 days" },
      redact,
    );
    expect(body).toContain("removed: the pull request was closed");
    expect(body).not.toContain("Expires");
  });
});
