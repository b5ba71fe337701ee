import type { AetherConfig } from "../../core/config/config-schema.ts";
import type { GitHub } from "../github/github-client.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { DeployRequest } from "./deploy-records.ts";

/** Conclusions GitHub's branch protection counts as passing. */
const PASSING = new Set(["success", "neutral", "skipped"]);

export type ChecksVerdict =
  { kind: "passed" } | { kind: "pending"; message: string } | { kind: "failed"; message: string };

/** The check runs the config requires before deploying to the request's environment. */
export function requiredChecksOf(config: AetherConfig, request: DeployRequest): string[] {
  return request.kind === "preview"
    ? config.previews.requiredChecks
    : (config.environments[request.env]?.requiredChecks ?? []);
}

/**
 * Whether the required checks passed on the request's commit, read from the checks API: the newest run of
 * each name counts. A check still running (or not started) is `pending`: its completed event wakes the
 * request again.
 */
export async function requiredChecksVerdict(
  github: GitHub,
  request: { repository: string; sha: string; required: readonly string[] },
): Promise<ChecksVerdict> {
  if (request.required.length === 0) return { kind: "passed" };
  const runs = await github.paginate(github.rest.checks.listForRef, {
    ...repoRef(request.repository),
    ref: request.sha,
    per_page: 100,
  });
  const short = request.sha.slice(0, 7);
  for (const name of request.required) {
    const latest = runs
      .filter((r) => r.name === name)
      .sort((a, b) => (b.started_at ?? "").localeCompare(a.started_at ?? "") || b.id - a.id)[0];
    if (latest === undefined || latest.status !== "completed")
      return { kind: "pending", message: `waiting for the required check \`${name}\` on \`${short}\`` };
    if (!PASSING.has(latest.conclusion ?? ""))
      return {
        kind: "failed",
        message: `Required check \`${name}\` did not pass on \`${short}\` (${latest.conclusion ?? "no conclusion"}); nothing was deployed.`,
      };
  }
  return { kind: "passed" };
}
