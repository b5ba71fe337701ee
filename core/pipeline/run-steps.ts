import { formatCommand } from "../runtimes/format-command.ts";
import type { RunCommand } from "../runtimes/runtime.ts";
import { PhaseError, type OnPipelineEvent, type Phase } from "./pipeline-events.ts";

const TAIL_LINES = 20;
const ERROR_LINE = /\berror\b|ERR!|\bfatal\b|Traceback/i;

/** A line that says what went wrong: not npm's bare `npm error` spacer nor its `npm error code EUSAGE`. */
function isCauseLine(line: string): boolean {
  if (!ERROR_LINE.test(line)) return false;
  const text = line.replace(/^npm (error|ERR!)\s*/, "").trim();
  return text.length >= 10 && !/^(code|errno) /.test(text);
}

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
      // Tools print the cause first and usage help after it (npm does): name the first error line too.
      const cause = result.output.split("\n").find(isCauseLine);
      const where = `\`${formatCommand(argv)}\` exited with code ${result.code} in ${cwd}`;
      throw new PhaseError(phase, cause ? `${where}: ${cause.trim()}` : where, tail);
    }
  }
}
