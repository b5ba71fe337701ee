import { formatBytes, formatDuration } from "../pipeline/format.ts";
import { PHASES, type Phase } from "../pipeline/pipeline-events.ts";

/** Phase timings of a deploy, as reports show them. */
export type Timings = Partial<Record<Phase, number>> & { total: number };

/**
 * The latency table every GitHub surface shows (check run, PR comment, job summary): one column per phase
 * that ran, then the total; the upload cell says how much was reused.
 */
export function latencyMarkdown(request: {
  timings: Timings;
  bytesUploaded?: number;
  bytesReused?: number;
}): string {
  const { timings } = request;
  const phases = PHASES.filter((p) => timings[p] !== undefined);
  const sent = (request.bytesUploaded ?? 0) + (request.bytesReused ?? 0);
  const cell = (phase: Phase): string => {
    const time = formatDuration(timings[phase] ?? 0);
    if (phase !== "upload" || sent === 0) return time;
    const reused = Math.round(((request.bytesReused ?? 0) / sent) * 100);
    return `${time} (${formatBytes(request.bytesUploaded ?? 0)} sent, ${reused}% reused)`;
  };
  return [
    `| ${[...phases, "total"].join(" | ")} |`,
    `|${[...phases, "total"].map(() => "---").join("|")}|`,
    `| ${[...phases.map(cell), `**${formatDuration(timings.total)}**`].join(" | ")} |`,
  ].join("\n");
}
