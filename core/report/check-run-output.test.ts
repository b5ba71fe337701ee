import { describe, expect, it } from "vitest";
import type { PipelineEvent } from "../pipeline/pipeline-events.ts";
import { createRedactor } from "../redact/redact.ts";
import { CHECK_RUN_ACTIONS, renderCheckRun } from "./check-run-output.ts";
import { applyEvent, initialProgress } from "./phase-progress.ts";

const SHA = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0";
const redact = createRedactor(["s3cret-token"]);

function progressAfter(events: PipelineEvent[]) {
  return events.reduce(applyEvent, initialProgress());
}

describe("renderCheckRun", () => {
  it("fills in phase by phase while the deploy runs", () => {
    const progress = progressAfter([
      { type: "phase-started", phase: "detect" },
      { type: "phase-finished", phase: "detect", ms: 12, detail: "node · npm" },
      { type: "phase-started", phase: "build" },
      { type: "progress", phase: "build", message: "npm ci" },
    ]);
    const run = renderCheckRun({ env: "production", sha: SHA, progress, redact });
    expect(run).toMatchObject({ name: "Aether · deploy production", status: "in_progress", actions: [] });
    expect(run.output.title).toBe("Deploying a1b2c3d to production…");
    expect(run.output.summary).toContain("| ✅ | detect | node · npm | 12 ms |");
    expect(run.output.summary).toContain("| 🔵 | **build** | npm ci | |");
    expect(run.output.summary).toContain("| ⚪ | healthy | | |");
    expect(run).not.toHaveProperty("conclusion");
  });

  it("completes with success, the URL and the Roll back / Redeploy buttons", () => {
    const done = progressAfter(
      (["detect", "build", "pack", "upload", "start", "healthy"] as const).map((phase) => ({
        type: "phase-finished" as const,
        phase,
        ms: 100,
        detail: phase,
      })),
    );
    const run = renderCheckRun({
      env: "staging",
      sha: SHA,
      progress: done,
      url: "https://staging.acme.dev",
      redact,
    });
    expect(run).toMatchObject({ status: "completed", conclusion: "success", actions: CHECK_RUN_ACTIONS });
    expect(run.output.title).toBe("Deployed a1b2c3d to staging in 600 ms");
    expect(run.output.summary.startsWith("**Live at https://staging.acme.dev**")).toBe(true);
    for (const action of CHECK_RUN_ACTIONS) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.identifier.length).toBeLessThanOrEqual(20);
    }
  });

  it("fails at the phase that failed, with a redacted, table-safe message", () => {
    const progress = progressAfter([
      { type: "phase-finished", phase: "detect", ms: 5, detail: "x" },
      {
        type: "phase-failed",
        phase: "build",
        ms: 900,
        message: "npm ci | failed with s3cret-token\nmore",
        logTail: [],
      },
    ]);
    const run = renderCheckRun({ env: "production", sha: SHA, progress, redact });
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.title).toBe("Deploy to production failed at build");
    expect(run.output.summary).toContain("| ❌ | **build** | npm ci \\| failed with *** more | 900 ms |");
    expect(JSON.stringify(run)).not.toContain("s3cret-token");
  });

  describe("the latency table, from the build's recorded figures to healthy", () => {
    const deployed = [
      { phase: "start" as const, state: "done" as const, ms: 2900, detail: "release 3" },
      { phase: "healthy" as const, state: "done" as const, ms: 600, detail: "GET /health 200" },
    ];
    const build = {
      timings: { buildMs: 2400, uploadMs: 200 },
      bytes: { uploaded: 9_000, reused: 742_000 },
    };

    it("adds build, upload (with the bytes reused), rollout, healthy and total when the deploy is done", () => {
      const run = renderCheckRun({ env: "production", sha: SHA, progress: deployed, build, redact });
      const summary = run.output.summary;
      expect(summary).toContain("**Latency**, build to healthy: 6.1 s");
      expect(summary).toContain(
        [
          "| build | upload | rollout | healthy | total |",
          "|---|---|---|---|---|",
          "| 2.4 s | 200 ms (9.0 kB sent, 98.8% reused) | 2.9 s | 600 ms | **6.1 s** |",
        ].join("\n"),
      );
      // The phases stay above it.
      expect(summary.indexOf("| ✅ | healthy |")).toBeLessThan(summary.indexOf("**Latency**"));
    });

    it("never says 100% reused while bytes were sent, and says so when nothing had to be", () => {
      const almost = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: deployed,
        build: { ...build, bytes: { uploaded: 1, reused: 9_999 } },
        redact,
      });
      expect(almost.output.summary).toContain("| 200 ms (1 B sent, 99.9% reused) |");
      const all = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: deployed,
        build: { ...build, bytes: { uploaded: 0, reused: 5_000 } },
        redact,
      });
      expect(all.output.summary).toContain("| 200 ms (0 B sent, 100% reused) |");
      const none = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: deployed,
        build: { ...build, bytes: { uploaded: 0, reused: 0 } },
        redact,
      });
      expect(none.output.summary).toContain("| 200 ms (nothing to send) |");
    });

    it("leaves the bytes out when the build recorded only timings", () => {
      const run = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: deployed,
        build: { timings: build.timings },
        redact,
      });
      expect(run.output.summary).toContain("| 2.4 s | 200 ms | 2.9 s | 600 ms | **6.1 s** |");
    });

    it("is not there while the deploy runs, after it failed, or without the build's timings", () => {
      const running = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: [deployed[0]!, { phase: "healthy", state: "running" }],
        build,
        redact,
      });
      const failed = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: [deployed[0]!, { phase: "healthy", state: "failed", ms: 30_000, message: "no 200" }],
        build,
        redact,
      });
      const older = renderCheckRun({
        env: "production",
        sha: SHA,
        progress: deployed,
        build: { bytes: build.bytes },
        redact,
      });
      for (const run of [running, failed, older]) expect(run.output.summary).not.toContain("Latency");
      expect(running.output.summary).toContain("| ✅ | start | release 3 | 2.9 s |");
    });
  });
});
