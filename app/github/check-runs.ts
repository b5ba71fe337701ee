import type { CheckRunOutput } from "../../core/report/check-run-output.ts";
import type { GitHub } from "./github-client.ts";
import { repoRef } from "./repo-ref.ts";

/**
 * The check run of one deploy request, created once (found again by `external_id` = the request id, so a
 * retry after a lost response does not add a second run), queued until the worker starts it.
 */
export async function ensureCheckRun(
  github: GitHub,
  request: { repository: string; sha: string; name: string; requestId: string; title: string },
): Promise<{ id: number; htmlUrl: string | null }> {
  const repo = repoRef(request.repository);
  const existing = await github.rest.checks.listForRef({
    ...repo,
    ref: request.sha,
    check_name: request.name,
    filter: "all",
    per_page: 100,
  });
  const found = existing.data.check_runs.find((run) => run.external_id === request.requestId);
  if (found) return { id: found.id, htmlUrl: found.html_url };
  const created = await github.rest.checks.create({
    ...repo,
    name: request.name,
    head_sha: request.sha,
    external_id: request.requestId,
    status: "queued",
    output: { title: request.title, summary: "Waiting for its turn and for the build's artifact." },
    // A lost answer is not re-POSTed: the next attempt finds the run by its external id.
    request: { retries: 0 },
  });
  return { id: created.data.id, htmlUrl: created.data.html_url };
}

/** Redraws a check run (phases so far, or the final outcome with the Roll back / Redeploy buttons). */
export async function updateCheckRun(
  github: GitHub,
  request: { repository: string; checkRunId: number; render: CheckRunOutput; detailsUrl?: string },
): Promise<void> {
  const { render } = request;
  await github.rest.checks.update({
    ...repoRef(request.repository),
    check_run_id: request.checkRunId,
    status: render.status,
    ...(render.conclusion === undefined ? {} : { conclusion: render.conclusion }),
    ...(request.detailsUrl === undefined ? {} : { details_url: request.detailsUrl }),
    output: render.output,
    actions: render.actions.map((a) => ({ ...a })),
  });
}

/** Ends a check run that never got to deploy (invalid config, refused, superseded) with a message. */
export async function concludeCheckRun(
  github: GitHub,
  request: {
    repository: string;
    checkRunId: number;
    conclusion: "failure" | "cancelled" | "skipped" | "neutral";
    title: string;
    summary: string;
  },
): Promise<void> {
  await github.rest.checks.update({
    ...repoRef(request.repository),
    check_run_id: request.checkRunId,
    status: "completed",
    conclusion: request.conclusion,
    output: { title: request.title, summary: request.summary },
  });
}
