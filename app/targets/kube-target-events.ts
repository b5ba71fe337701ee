import type { KubeDeployEvent } from "../../core/kube/deploy-kube.ts";
import type { OnPipelineEvent } from "../../core/pipeline/pipeline-events.ts";

/** How many of the last log lines the check run's failed phase quotes (the PR comment shows up to 20). */
const CHECK_RUN_LOG_LINES = 5;

/**
 * Maps core/kube's deploy phases onto the app's two (`apply` → `start`, `rollout` → `healthy`). A rollout's
 * failure is held back, not forwarded: the rollback that follows would otherwise redraw the failed phase as
 * running, so the target reports the failure once it knows what serves (see `failedPhaseEvent`). The
 * rollback itself shows as progress notes on the failed phase.
 */
export function kubeEventsToPipeline(onEvent: OnPipelineEvent): (event: KubeDeployEvent) => void {
  return (event) => {
    if (event.phase === "rollback") {
      if (event.type === "progress") onEvent({ type: "progress", phase: "healthy", message: event.message });
      return;
    }
    const phase = event.phase === "apply" ? "start" : "healthy";
    switch (event.type) {
      case "phase-started":
        return onEvent({ type: "phase-started", phase });
      case "phase-finished":
        return onEvent({ type: "phase-finished", phase, ms: event.ms, detail: event.detail });
      case "progress":
        return onEvent({ type: "progress", phase, message: event.message });
      case "phase-failed":
        return undefined;
    }
  };
}

/**
 * What failed and why, on one line: the message and the explanation lines (crash loop, quota, probe, and what
 * serves now). The outcome's message: the deployment status (first 140 characters) and the PR comment show it.
 */
export function failureSummary(failure: { message: string; explanation: readonly string[] }): string {
  return [failure.message, ...failure.explanation].join("; ");
}

/**
 * The failed phase's line on the check run (a table cell): the summary and the last log lines; the PR
 * comment shows up to 20 of them from the outcome's `logTail`.
 */
export function checkRunFailureMessage(failure: {
  message: string;
  explanation: readonly string[];
  logTail: readonly string[];
}): string {
  const tail = failure.logTail.slice(-CHECK_RUN_LOG_LINES);
  const summary = failureSummary(failure);
  return tail.length === 0 ? summary : `${summary} — last log lines: ${tail.join(" ⏎ ")}`;
}
