import { PhaseError, type OnPipelineEvent, type Phase } from "./pipeline-events.ts";

/** Clock handed in so tests and presenters agree on durations. */
export type Clock = () => number;

/**
 * Runs one phase: reports start, then finish with the detail `work` returns, or failure with its message.
 * Unexpected errors are re-thrown as PhaseError so every failure names its phase.
 */
export async function runPhase<T>(request: {
  phase: Phase;
  onEvent: OnPipelineEvent;
  clock: Clock;
  work: () => Promise<{ value: T; detail: string }>;
}): Promise<{ value: T; ms: number }> {
  const { phase, onEvent, clock, work } = request;
  const started = clock();
  onEvent({ type: "phase-started", phase });
  try {
    const { value, detail } = await work();
    const ms = clock() - started;
    onEvent({ type: "phase-finished", phase, ms, detail });
    return { value, ms };
  } catch (error) {
    const ms = clock() - started;
    const failure =
      error instanceof PhaseError
        ? error
        : new PhaseError(phase, error instanceof Error ? error.message : String(error), [], { cause: error });
    onEvent({ type: "phase-failed", phase, ms, message: failure.message, logTail: failure.logTail });
    throw failure;
  }
}
