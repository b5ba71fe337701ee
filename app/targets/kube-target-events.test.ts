import { describe, expect, it } from "vitest";
import type { PipelineEvent } from "../../core/pipeline/pipeline-events.ts";
import { checkRunFailureMessage, failureSummary, kubeEventsToPipeline } from "./kube-target-events.ts";

describe("kubeEventsToPipeline", () => {
  it("maps apply to start and rollout to healthy, holds failures back and shows the rollback as progress", () => {
    const seen: PipelineEvent[] = [];
    const forward = kubeEventsToPipeline((event) => seen.push(event));
    forward({ type: "phase-started", phase: "apply" });
    forward({ type: "phase-finished", phase: "apply", ms: 12, detail: "9 objects applied" });
    forward({ type: "phase-started", phase: "rollout" });
    forward({ type: "progress", phase: "rollout", message: "0 of 1 ready" });
    forward({ type: "phase-failed", phase: "rollout", ms: 900, message: "not ready", logTail: ["boom"] });
    forward({ type: "phase-started", phase: "rollback" });
    forward({ type: "progress", phase: "rollback", message: "1 of 1 ready" });
    forward({ type: "phase-finished", phase: "rollback", ms: 40, detail: "release 1 serves again" });
    expect(seen).toEqual([
      { type: "phase-started", phase: "start" },
      { type: "phase-finished", phase: "start", ms: 12, detail: "9 objects applied" },
      { type: "phase-started", phase: "healthy" },
      { type: "progress", phase: "healthy", message: "0 of 1 ready" },
      { type: "progress", phase: "healthy", message: "1 of 1 ready" },
    ]);
  });
});

describe("failure messages", () => {
  const failure = {
    message: "release 2 did not become ready: timed out",
    explanation: ['container "app" keeps crashing', "rolled back: release 1 serves again"],
    logTail: ["a", "b", "c", "d", "e", "f", "panic: boom"],
  };

  it("puts the explanation after the message, and the last five log lines on the check run", () => {
    expect(failureSummary(failure)).toBe(
      'release 2 did not become ready: timed out; container "app" keeps crashing; rolled back: release 1 serves again',
    );
    expect(checkRunFailureMessage(failure)).toBe(
      `${failureSummary(failure)} — last log lines: c ⏎ d ⏎ e ⏎ f ⏎ panic: boom`,
    );
    expect(checkRunFailureMessage({ ...failure, logTail: [] })).toBe(failureSummary(failure));
  });
});
