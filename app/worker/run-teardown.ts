import { destroyDatabase } from "../../core/previewdb/destroy-database.ts";
import { commentMarker, renderPreviewComment } from "../../core/report/preview-comment.ts";
import { deactivateEnvironment } from "../github/deployments.ts";
import type { GitHub } from "../github/github-client.ts";
import { upsertStickyComment } from "../github/upsert-sticky-comment.ts";
import type { DeployRequest } from "./deploy-records.ts";
import type { AppDeps } from "./worker-deps.ts";

/**
 * Tears a closed pull request's preview down: the environment on the target, its database and role, then
 * every deployment of the environment is marked inactive, and last the sticky comment says so. Each step is safe
 * to repeat, so a retried job finishes what an interrupted one started.
 */
export async function runTeardown(deps: AppDeps, github: GitHub, request: DeployRequest): Promise<void> {
  const target = await deps.target.destroy(request);
  const database = deps.previewDb
    ? await destroyDatabase({ admin: deps.previewDb, repository: request.repository, env: request.env })
    : undefined;
  await deactivateEnvironment(github, { repository: request.repository, environment: request.env });
  if (request.prNumber !== null) {
    await upsertStickyComment(github, {
      repository: request.repository,
      issueNumber: request.prNumber,
      marker: commentMarker(request.env),
      body: teardownComment(deps, request),
      botLogin: deps.botLogin,
    });
  }
  const removed = [
    target.existed ? "environment" : undefined,
    database?.droppedDatabase ? "database" : undefined,
    database?.droppedRole ? "role" : undefined,
  ].filter((x) => x !== undefined);
  const what = removed.length > 0 ? `removed ${removed.join(", ")}` : "nothing was left to remove";
  await deps.records.update(request.id, {
    state: "success",
    message: request.source === "expiry" ? `expired: ${what}` : what,
  });
}

/** The sticky comment after a teardown: closed, or expired when the time-to-live sweeper asked for it. */
function teardownComment(deps: AppDeps, request: DeployRequest): string {
  const expired = request.source === "expiry";
  return renderPreviewComment(
    {
      env: request.env,
      status: expired ? "expired" : "closed",
      commit: {
        sha: request.sha,
        message: expired ? "its time to live passed" : "the pull request was closed",
      },
    },
    deps.redact,
  );
}
