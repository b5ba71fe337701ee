import type { PreviewCommentState } from "../../core/report/preview-comment.ts";
import type { RefRecord } from "../../core/store/store.ts";

/**
 * The comment's latency figures: the build's own (recorded with its artifact) before the app's rollout, so
 * the total runs from build to healthy as in the check run.
 */
export function deployFigures(
  build: Pick<RefRecord, "timings" | "bytes"> | undefined,
  rollout: { start: number; healthy: number; total: number },
): Pick<PreviewCommentState, "timings" | "bytesUploaded" | "bytesReused"> {
  const timings = build?.timings;
  return {
    timings: timings
      ? {
          build: timings.buildMs,
          upload: timings.uploadMs,
          start: rollout.start,
          healthy: rollout.healthy,
          total: timings.buildMs + timings.uploadMs + rollout.total,
        }
      : rollout,
    ...(build?.bytes ? { bytesUploaded: build.bytes.uploaded, bytesReused: build.bytes.reused } : {}),
  };
}
