import { shortDigest } from "../../core/artifact/digest.ts";
import { formatBytes, formatDuration } from "../../core/pipeline/format.ts";
import type { DeployReport } from "../../core/pipeline/deploy-app.ts";
import { PHASES } from "../../core/pipeline/pipeline-events.ts";
import type { Style } from "./style.ts";
import { renderTable } from "./table.ts";

/**
 * The end of `aether deploy`: where it is live, the latency table, bytes sent and reused, a comparison with
 * the first deploy, and what to run next. On failure: what failed, the app's last lines, what still serves.
 */
export function renderDeploySummary(request: {
  report: DeployReport;
  firstTotal: number | undefined;
  invokedAs: string;
  /** The command that runs this deploy again, for the hint after a failure. */
  retry: string;
  style: Style;
}): string {
  const { report, firstTotal, invokedAs, style } = request;
  const lines: string[] = [""];
  if (report.ok) {
    const previous = report.previous === undefined ? "" : `, previous: ${report.previous}`;
    lines.push(
      `  ${style.bold("Live at")} ${style.accent(report.url ?? "")}  ${style.dim(
        `(local/${report.envName}, release ${report.release}${previous})`,
      )}`,
    );
  } else if (report.failure) {
    for (const line of report.failure.message.split("\n")) lines.push(`  ${style.fail("✖")} ${line}`);
    if (report.failure.logTail.length > 0) {
      lines.push(`  ${style.dim("last lines of output:")}`);
      for (const line of report.failure.logTail) lines.push(`    ${line}`);
    }
    const serving = report.failure.stillServing;
    lines.push(
      serving
        ? `  The new release was not switched on; release ${serving.release} still serves ${serving.url}.`
        : `  Nothing was switched: the environment is as it was before this deploy.`,
    );
  }
  lines.push("");
  const phases = PHASES.filter((p) => report.timings[p] !== undefined);
  // A table of one failed phase says nothing the ✖ line did not.
  if (phases.length > 1)
    lines.push(
      renderTable(
        [...phases, "total"],
        [
          [
            ...phases.map((p) => formatDuration(report.timings[p] ?? 0)),
            formatDuration(report.timings.total),
          ],
        ],
      ).trimEnd(),
    );
  if (report.digest) {
    const sent = report.bytesUploaded + report.bytesReused;
    const reusedShare = sent === 0 ? 0 : Math.round((report.bytesReused / sent) * 100);
    lines.push(
      `  ${shortDigest(report.digest)} · uploaded ${formatBytes(report.bytesUploaded)} · reused ${formatBytes(
        report.bytesReused,
      )} (${reusedShare}%)` +
        (report.provenance === undefined
          ? ""
          : report.provenance === "verified"
            ? ` · provenance ${style.ok("✔ verified")}`
            : ` · provenance ${style.warn(`⚠ ${report.provenance}`)}`),
    );
  }
  if (report.ok && firstTotal !== undefined && firstTotal > report.timings.total) {
    const faster = Math.round((1 - report.timings.total / firstTotal) * 100);
    lines.push(
      `  Total ${formatDuration(report.timings.total)}: ${faster}% faster than the first deploy (${formatDuration(firstTotal)})`,
    );
  }
  const env = report.envName === "production" ? "" : ` --env ${report.envName}`;
  lines.push(
    report.ok
      ? style.dim(`  Logs: ${invokedAs} logs --follow${env}   Roll back: ${invokedAs} rollback${env}`)
      : style.dim(`  Retry: ${request.retry}`),
  );
  return lines.join("\n") + "\n";
}
