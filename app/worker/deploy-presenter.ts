import { applyEvent, type PhaseState } from "../../core/report/phase-progress.ts";
import { renderCheckRun, type BuildFigures } from "../../core/report/check-run-output.ts";
import {
  commentMarker,
  renderPreviewComment,
  type PreviewCommentState,
} from "../../core/report/preview-comment.ts";
import type { PipelineEvent } from "../../core/pipeline/pipeline-events.ts";
import { updateCheckRun } from "../github/check-runs.ts";
import { setDeploymentStatus, type DeploymentState } from "../github/deployments.ts";
import type { GitHub } from "../github/github-client.ts";
import { upsertStickyComment } from "../github/upsert-sticky-comment.ts";
import type { AppDeps } from "./worker-deps.ts";
import type { DeployRequest } from "./deploy-records.ts";

/** The phases the app runs itself (the build ran in the user's Actions run). */
const APP_PHASES = ["start", "healthy"] as const;

/**
 * Keeps GitHub in step with one deploy: the check run redrawn as phases finish, the deployment's statuses,
 * and for previews the sticky PR comment. Writes are chained, so they land in order, and a failed write is
 * logged, never allowed to fail the deploy it reports on.
 */
export function createDeployPresenter(options: {
  deps: AppDeps;
  github: GitHub;
  request: DeployRequest;
  checkRun: { id: number; htmlUrl: string | null };
  deploymentId: number;
  /** What the build recorded beside the artifact being deployed, for the latency table. */
  build?: BuildFigures;
}) {
  const { deps, github, request } = options;
  let progress: PhaseState[] = APP_PHASES.map((phase) => ({ phase, state: "pending" }));
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (what: string, write: () => Promise<void>) => {
    chain = chain
      .then(write)
      .catch((error: unknown) => deps.log(`GitHub ${what} not updated: ${deps.redact(String(error))}`));
  };
  const drawCheckRun = (url?: string) =>
    enqueue("check run", () =>
      updateCheckRun(github, {
        repository: request.repository,
        checkRunId: options.checkRun.id,
        render: renderCheckRun({
          env: request.env,
          sha: request.sha,
          progress,
          redact: deps.redact,
          ...(url ? { url } : {}),
          ...(options.build ? { build: options.build } : {}),
        }),
      }),
    );
  return {
    logUrl: options.checkRun.htmlUrl ?? undefined,
    onEvent(event: PipelineEvent) {
      progress = applyEvent(progress, event);
      if (event.type === "phase-started" || event.type === "phase-finished" || event.type === "phase-failed")
        drawCheckRun();
    },
    status(state: DeploymentState, extra: { description?: string; environmentUrl?: string } = {}) {
      enqueue("deployment status", () =>
        setDeploymentStatus(github, {
          repository: request.repository,
          deploymentId: options.deploymentId,
          state,
          ...extra,
          ...(options.checkRun.htmlUrl ? { logUrl: options.checkRun.htmlUrl } : {}),
        }),
      );
    },
    finishCheckRun(url?: string) {
      drawCheckRun(url);
    },
    comment(state: PreviewCommentState) {
      if (request.prNumber === null) return;
      const prNumber = request.prNumber;
      enqueue("PR comment", async () => {
        await upsertStickyComment(github, {
          repository: request.repository,
          issueNumber: prNumber,
          marker: commentMarker(request.env),
          body: renderPreviewComment(state, deps.redact),
          botLogin: deps.botLogin,
        });
      });
    },
    /** Waits until every write so far reached GitHub (or was logged as failed). */
    flush: () => chain,
  };
}

export type DeployPresenter = ReturnType<typeof createDeployPresenter>;
