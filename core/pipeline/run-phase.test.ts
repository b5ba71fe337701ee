import { describe, expect, it } from "vitest";
import { PhaseError, type PipelineEvent } from "./pipeline-events.ts";
import { runPhase } from "./run-phase.ts";

function fakeClock(steps: number[]) {
  let i = 0;
  return () => steps[Math.min(i++, steps.length - 1)] ?? 0;
}

describe("runPhase", () => {
  it("reports start and finish with the duration and detail", async () => {
    const events: PipelineEvent[] = [];
    const result = await runPhase({
      phase: "pack",
      onEvent: (e) => events.push(e),
      clock: fakeClock([100, 138]),
      work: async () => ({ value: 7, detail: "2 layers" }),
    });
    expect(result).toEqual({ value: 7, ms: 38 });
    expect(events).toEqual([
      { type: "phase-started", phase: "pack" },
      { type: "phase-finished", phase: "pack", ms: 38, detail: "2 layers" },
    ]);
  });

  it("turns any error into a PhaseError of that phase and reports it", async () => {
    const events: PipelineEvent[] = [];
    const failing = runPhase({
      phase: "upload",
      onEvent: (e) => events.push(e),
      clock: fakeClock([0, 5]),
      work: async () => {
        throw new Error("bucket not found");
      },
    });
    await expect(failing).rejects.toMatchObject({
      name: "PhaseError",
      phase: "upload",
      message: "bucket not found",
    });
    expect(events.at(-1)).toEqual({
      type: "phase-failed",
      phase: "upload",
      ms: 5,
      message: "bucket not found",
      logTail: [],
    });
  });

  it("keeps the log tail of a PhaseError", async () => {
    const events: PipelineEvent[] = [];
    await expect(
      runPhase({
        phase: "build",
        onEvent: (e) => events.push(e),
        clock: fakeClock([0, 1]),
        work: async () => {
          throw new PhaseError("build", "npm ci failed", ["npm ERR! 404"]);
        },
      }),
    ).rejects.toBeInstanceOf(PhaseError);
    expect(events.at(-1)).toMatchObject({ type: "phase-failed", logTail: ["npm ERR! 404"] });
  });
});
