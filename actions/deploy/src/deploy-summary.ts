import { shortDigest, type Digest } from "../../../core/artifact/digest.ts";
import { formatDuration } from "../../../core/pipeline/format.ts";

/** The job summary of a deploy: outcome, where it runs, what was deployed, how long each state lasted. */
export function deploySummary(request: {
  digest: Digest;
  environment: string;
  url: string | undefined;
  deploymentId: string;
  appUrl: string;
  /** Milliseconds per phase (queued and rollout through the app; apply and rollout on a cluster). */
  phases: { label: string; ms: number }[];
}): string {
  const { phases } = request;
  const total = phases.reduce((sum, p) => sum + p.ms, 0);
  return [
    `## 🚀 Aether deploy: ${request.environment}${request.url ? ` → ${request.url}` : ""}`,
    "",
    "| | |",
    "| --- | --- |",
    `| Artifact | \`${shortDigest(request.digest)}\` |`,
    `| Environment | ${request.environment} |`,
    `| URL | ${request.url ?? "(the app reported none)"} |`,
    `| Deployment | ${request.deploymentId} on ${request.appUrl} |`,
    "",
    "### Latency",
    "",
    `| ${phases.map((p) => p.label).join(" | ")} | total |`,
    `| ${phases.map(() => "---").join(" | ")} | --- |`,
    `| ${phases.map((p) => formatDuration(p.ms)).join(" | ")} | ${formatDuration(total)} |`,
    "",
  ].join("\n");
}
