import { approverVerdict, describeReviewers } from "../../core/policy/environment-approval.ts";
import { renderApprovalWait } from "../../core/report/held-check-run.ts";
import {
  EnvironmentProtectionError,
  isEnvironmentReviewer,
  readEnvironmentProtection,
} from "../github/environment-protection.ts";
import type { GitHub } from "../github/github-client.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { DeployRequest } from "./deploy-records.ts";
import type { AppDeps } from "./worker-deps.ts";

/**
 * The check run's Approve button: a required reviewer of the request's GitHub environment (read from the API
 * now, never from the payload; not the asker when self-review is prevented) lets a request waiting for
 * approval go on. Anyone else's click changes nothing but a note on the check run and a log line.
 */
export async function approveDeploy(
  deps: AppDeps,
  options: { github: GitHub; request: DeployRequest; approver: string },
): Promise<void> {
  const { github, request, approver } = options;
  const ignored = (why: string) =>
    deps.log(
      `approval of deploy request ${request.id} (${request.repository} ${request.env}) by @${approver} ignored: ${why}`,
    );
  if (request.state !== "waiting-approval")
    return ignored(`the request is ${request.state}, not waiting for approval`);
  let protection;
  try {
    protection = await readEnvironmentProtection(github, request);
  } catch (error) {
    if (error instanceof EnvironmentProtectionError) return ignored(error.message);
    throw error;
  }
  const rule = protection?.reviewers;
  if (rule !== undefined) {
    let approverIsReviewer: boolean;
    try {
      approverIsReviewer = await isEnvironmentReviewer(github, {
        repository: request.repository,
        rule,
        login: approver,
      });
    } catch (error) {
      if (error instanceof EnvironmentProtectionError) return ignored(error.message);
      throw error;
    }
    const verdict = approverVerdict(rule, { approver, requestedBy: request.requestedBy, approverIsReviewer });
    if (!verdict.ok) {
      ignored(verdict.reason);
      if (request.checkRunId !== null) {
        const render = renderApprovalWait({
          ...request,
          reviewers: describeReviewers(rule),
          preventSelfReview: rule.preventSelfReview,
        });
        await github.rest.checks.update({
          ...repoRef(request.repository),
          check_run_id: request.checkRunId,
          output: { ...render.output, text: `Not approved: ${verdict.reason}.` },
          actions: render.actions.map((a) => ({ ...a })),
        });
      }
      return;
    }
  }
  // Without a reviewers rule any more, the worker's own check lets the request go on by itself.
  if (await deps.records.held.approve(request.id, approver))
    await deps.enqueueDeploy(request.id, { again: true });
  else ignored("another approval came first");
}
