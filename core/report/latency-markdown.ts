import { formatBytes, formatDuration } from "../pipeline/format.ts";
import { PHASES, type Phase } from "../pipeline/pipeline-events.ts";

/** Phase timings of a deploy, as reports show them. */
export type Timings = Partial<Record<Phase, number>> & { total: number };

/** Column names where a phase's own name says less to a reader of the report. */
const LABELS: Partial<Record<Phase, string>> = { start: "rollout" };

/**
 * The latency table every GitHub surface shows (check run, PR comment): one column per phase that ran, then
 * the total; the upload cell says what was sent and how much was reused.
 */
export function latencyMarkdown(request: {
  timings: Timings;
  bytesUploaded?: number;
  bytesReused?: number;
}): string {
  const { timings } = request;
  const phases = PHASES.filter((p) => timings[p] !== undefined);
  const cell = (phase: Phase): string => {
    const time = formatDuration(timings[phase] ?? 0);
    if (phase !== "upload" || (request.bytesUploaded === undefined && request.bytesReused === undefined))
      return time;
    return `${time} (${reuseNote(request.bytesUploaded ?? 0, request.bytesReused ?? 0)})`;
  };
  const names = [...phases.map((p) => LABELS[p] ?? p), "total"];
  return [
    `| ${names.join(" | ")} |`,
    `|${names.map(() => "---").join("|")}|`,
    `| ${[...phases.map(cell), `**${formatDuration(timings.total)}**`].join(" | ")} |`,
  ].join("\n");
}

/** `9.0 kB sent, 98.8% reused`: rounded down, so never 100% while anything was sent. */
function reuseNote(uploaded: number, reused: number): string {
  const sent = uploaded + reused;
  if (sent === 0) return "nothing to send";
  const percent = Math.floor((reused / sent) * 1000) / 10;
  return `${formatBytes(uploaded)} sent, ${Number.isInteger(percent) ? percent : percent.toFixed(1)}% reused`;
}
