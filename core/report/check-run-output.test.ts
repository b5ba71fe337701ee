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
});
