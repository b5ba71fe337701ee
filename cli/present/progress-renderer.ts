import { formatDuration } from "../../core/pipeline/format.ts";
import type { Phase, PipelineEvent } from "../../core/pipeline/pipeline-events.ts";
import type { Style } from "./style.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const NAME_WIDTH = 10;

export interface Output {
  write(text: string): void;
  /** Terminal width, when the output is a terminal. */
  columns?: number;
}

/**
 * Draws pipeline events: on a terminal, one live line per running phase (spinner, latest output) that turns
 * into a ✔/✖ line; elsewhere (CI, pipes) one plain line per finished phase.
 */
export function createProgressRenderer(options: { out: Output; interactive: boolean; style: Style }) {
  const { out, interactive, style } = options;
  let running: { phase: Phase; note: string; frame: number } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const width = () => Math.max(40, (out.columns ?? 100) - 1);

  const clearLive = () => {
    if (interactive && running) out.write("\r\x1b[2K");
  };
  const drawLive = () => {
    if (!interactive || !running) return;
    const frame = FRAMES[running.frame % FRAMES.length] ?? "-";
    // Truncate before styling: cutting a styled string could drop the code that ends the style.
    const note = truncate(running.note, width() - NAME_WIDTH - 6);
    out.write(`\r\x1b[2K  ${style.accent(frame)} ${running.phase.padEnd(NAME_WIDTH)} ${style.dim(note)}`);
  };
  const row = (mark: string, phase: Phase, detail: string, ms: number) => {
    const time = formatDuration(ms);
    const room = width() - NAME_WIDTH - time.length - 8;
    out.write(
      `  ${mark} ${phase.padEnd(NAME_WIDTH)} ${truncate(detail, room).padEnd(room)} ${style.dim(time)}\n`,
    );
  };

  return {
    onEvent(event: PipelineEvent): void {
      switch (event.type) {
        case "phase-started":
          running = { phase: event.phase, note: "", frame: 0 };
          if (interactive && !timer) {
            timer = setInterval(() => {
              if (running) running.frame += 1;
              drawLive();
            }, 80);
            timer.unref();
          }
          drawLive();
          return;
        case "progress":
        case "output":
          if (running) running.note = event.type === "output" ? event.line.trim() : event.message;
          drawLive();
          return;
        case "phase-finished":
          clearLive();
          running = undefined;
          row(style.ok("✔"), event.phase, event.detail, event.ms);
          return;
        case "phase-failed":
          clearLive();
          running = undefined;
          row(style.fail("✖"), event.phase, event.message.split("\n")[0] ?? "", event.ms);
          return;
      }
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      clearLive();
      running = undefined;
    },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
