import type { Delivery } from "../intake/delivery.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { onCheckRun, onWorkflowRun } from "./on-check-run.ts";
import { onIssueComment } from "./on-issue-comment.ts";
import { onPullRequest } from "./on-pull-request.ts";
import { onPush } from "./on-push.ts";

/** The events the app subscribes to (app.yml's `default_events` lists the same). */
export const HANDLED_EVENTS = ["push", "pull_request", "issue_comment", "check_run", "workflow_run"] as const;

const HANDLERS: Record<
  (typeof HANDLED_EVENTS)[number],
  (deps: AppDeps, delivery: Delivery) => Promise<void>
> = {
  push: onPush,
  pull_request: onPullRequest,
  issue_comment: onIssueComment,
  check_run: onCheckRun,
  workflow_run: onWorkflowRun,
};

/**
 * Runs the handler of one queued delivery. Handlers decide and record; the deploys themselves run in the
 * deploy worker. Events the app does not handle are acknowledged and dropped.
 */
export async function handleDelivery(deps: AppDeps, delivery: Delivery): Promise<void> {
  const handler = HANDLED_EVENTS.find((e) => e === delivery.event);
  if (handler === undefined) return;
  await HANDLERS[handler](deps, delivery);
}
