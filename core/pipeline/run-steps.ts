import { formatCommand } from "../runtimes/format-command.ts";
import type { RunCommand } from "../runtimes/runtime.ts";
import { PhaseError, type OnPipelineEvent, type Phase } from "./pipeline-events.ts";

const TAIL_LINES = 20;

/**
 * Runs build commands one after another, streaming their output as events; a non-zero exit becomes a
 * PhaseError naming the command, with the last lines of its output.
 */
export async function runSteps(request: {
  steps: string[][];
  cwd: string;
  run: RunCommand;
  phase: Phase;
  onEvent: OnPipelineEvent;
}): Promise<void> {
  const { steps, cwd, run, phase, onEvent } = request;
  for (const argv of steps) {
    const tail: string[] = [];
    const result = await run({
      argv,
      cwd,
      onLine: (line) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        onEvent({ type: "output", phase, line });
      },
    });
    if (result.code !== 0) {
      throw new PhaseError(
        phase,
        `\`${formatCommand(argv)}\` exited with code ${result.code} in ${cwd}`,
        tail,
      );
    }
  }
}
