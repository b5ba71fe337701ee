import { PHASES, type Phase, type PipelineEvent } from "../pipeline/pipeline-events.ts";

export type PhaseState =
  | { phase: Phase; state: "pending" }
  | { phase: Phase; state: "running"; note?: string }
  | { phase: Phase; state: "done"; ms: number; detail: string }
  | { phase: Phase; state: "failed"; ms: number; message: string };

/** Every phase, pending: where a report of a deploy starts. */
export function initialProgress(): PhaseState[] {
  return PHASES.map((phase) => ({ phase, state: "pending" }));
}

/**
 * Folds one pipeline event into the phase list, so any surface (check run, PR comment, job summary) can
 * redraw the deploy's state as it goes. Returns a new list; unknown or late events change nothing.
 */
export function applyEvent(progress: readonly PhaseState[], event: PipelineEvent): PhaseState[] {
  return progress.map((entry): PhaseState => {
    if (entry.phase !== event.phase) return entry;
    switch (event.type) {
      case "phase-started":
        return { phase: entry.phase, state: "running" };
      case "progress":
        return entry.state === "running" ? { ...entry, note: event.message } : entry;
      case "output":
        return entry;
      case "phase-finished":
        return { phase: entry.phase, state: "done", ms: event.ms, detail: event.detail };
      case "phase-failed":
        return { phase: entry.phase, state: "failed", ms: event.ms, message: event.message };
    }
  });
}
