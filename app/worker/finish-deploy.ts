import type { PreviewCommentState } from "../../core/report/preview-comment.ts";
import { concludeCheckRun } from "../github/check-runs.ts";
import { reactToComment, replyToCommand } from "../github/comment-replies.ts";
import { setDeploymentStatus } from "../github/deployments.ts";
import type { GitHub } from "../github/github-client.ts";
import type { TargetOutcome } from "../targets/deploy-target.ts";
import type { DeployPresenter } from "./deploy-presenter.ts";
import type { DeployRequest } from "./deploy-records.ts";
import type { AppDeps } from "./worker-deps.ts";

// How a deploy request ends, on GitHub: the check run, the deployment status, and the answer to the command.

export async function finishSuccess(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  presenter: DeployPresenter,
  url: string,
): Promise<void> {
  await deps.records.update(request.id, { state: "success", url, message: null });
  presenter.finishCheckRun(url);
  presenter.status("success", { environmentUrl: url, description: `Live at ${url}` });
  await presenter.flush();
  await answer(
    deps,
    github,
    request,
    "success",
    `🚀 Deployed \`${request.sha.slice(0, 7)}\` to **${request.env}** (requested by @${request.requestedBy}): ${url}`,
    "rocket",
  );
}

export async function finishFailure(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  presenter: DeployPresenter,
  outcome: Extract<TargetOutcome, { ok: false }>,
  comment: (state: Omit<PreviewCommentState, "env" | "commit">) => void,
  database?: PreviewCommentState["database"],
): Promise<void> {
  const message = deps.redact(outcome.message);
  await deps.records.update(request.id, { state: "failure", message });
  presenter.finishCheckRun();
  presenter.status("failure", { description: message });
  comment({
    status: "failed",
    ...(database ? { database } : {}),
    failure: { phase: outcome.phase, message, logTail: outcome.logTail },
  });
  await presenter.flush();
  await answer(
    deps,
    github,
    request,
    "failure",
    `❌ Deploy of \`${request.sha.slice(0, 7)}\` to **${request.env}** failed at ${outcome.phase}: ${message}`,
    "-1",
  );
}

export async function reportSuperseded(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  why = `A newer deploy request for **${request.env}** replaced this one before it started.`,
): Promise<void> {
  if (request.deploymentId !== null)
    await setDeploymentStatus(github, {
      repository: request.repository,
      deploymentId: request.deploymentId,
      state: "inactive",
      description: "Superseded by a newer request",
    });
  if (request.checkRunId !== null)
    await concludeCheckRun(github, {
      repository: request.repository,
      checkRunId: request.checkRunId,
      conclusion: "skipped",
      title: "Superseded",
      summary: deps.redact(why),
    });
  await answer(deps, github, request, "superseded", `⏭️ ${why}`, "confused");
}

/** Answers the command comment that asked for this request, if one did (with a reaction, when given). */
export async function answer(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  kind: string,
  body: string,
  reaction?: "rocket" | "-1" | "confused",
): Promise<void> {
  if (request.commandCommentId === null || request.prNumber === null) return;
  if (reaction !== undefined)
    await reactToComment(github, {
      repository: request.repository,
      commentId: request.commandCommentId,
      content: reaction,
    });
  await replyToCommand(github, {
    repository: request.repository,
    issueNumber: request.prNumber,
    commentId: request.commandCommentId,
    kind,
    body: deps.redact(body),
  });
}
