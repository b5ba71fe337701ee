import { matchBranchPolicies } from "../../core/policy/branch-policy-match.ts";
import {
  approvalVerdict,
  describeReviewers,
  rolloutNotBefore,
  type RequiredReviewers,
} from "../../core/policy/environment-approval.ts";
import { renderApprovalWait, renderTimerWait } from "../../core/report/held-check-run.ts";
import { setDeploymentStatus } from "../github/deployments.ts";
import {
  EnvironmentProtectionError,
  isBranchProtected,
  isEnvironmentReviewer,
  listBranchPolicies,
  readEnvironmentProtection,
  type EnvironmentProtection,
} from "../github/environment-protection.ts";
import type { GitHub } from "../github/github-client.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { DeployRequest } from "./deploy-records.ts";
import { answer, reportSuperseded } from "./finish-deploy.ts";
import type { AppDeps } from "./worker-deps.ts";

/** A request's check run and GitHub Deployment, once made. */
export interface Shown {
  checkRun: { id: number; htmlUrl: string | null };
  deploymentId: number;
}

/** Whether the app enforces GitHub environment protection for this request (not previews, not API deploys). */
export function isProtectionGated(request: DeployRequest): boolean {
  return (
    request.kind !== "preview" &&
    request.task !== "teardown" &&
    request.source !== "api" &&
    request.source !== "expiry"
  );
}

/**
 * GitHub environment protection, checked right before rollout (every time the request runs, so a rule
 * changed meanwhile counts): the deployment branch policy, required reviewers and the wait timer. Returns
 * true when the rollout may start; otherwise the request was refused (`stop`), or parked waiting for an
 * approval or its timer, and GitHub says so.
 */
export async function passEnvironmentGate(options: {
  deps: AppDeps;
  github: GitHub;
  request: DeployRequest;
  shown: Shown | undefined;
  show: () => Promise<Shown>;
  stop: (message: string, title: string) => Promise<void>;
}): Promise<boolean> {
  const { deps, github, request } = options;
  // Held requests never run by themselves: the newer one about to run (or be held) replaces them.
  for (const id of await deps.records.held.supersedeOlder(request)) {
    const replaced = await deps.records.get(id);
    if (replaced !== undefined) await reportSuperseded(deps, github, replaced);
  }
  if (!isProtectionGated(request)) return true;
  try {
    const protection = await readEnvironmentProtection(github, request);
    if (protection === undefined) return true;
    const branch = await branchRefusal(github, request, protection);
    if (branch !== undefined) {
      await options.stop(branch, `Not allowed to deploy to ${request.env}`);
      return false;
    }
    if (protection.reviewers !== undefined) {
      const rule = protection.reviewers;
      const reviewer = (login: string) =>
        isEnvironmentReviewer(github, { repository: request.repository, rule, login });
      const askerCounts = request.source === "comment" || request.source === "check_run";
      const verdict = approvalVerdict(rule, {
        requestedBy: request.requestedBy,
        askerCounts,
        requesterIsReviewer: askerCounts && (await reviewer(request.requestedBy)),
        approvedBy: request.approvedBy,
        approverIsReviewer: request.approvedBy !== null && (await reviewer(request.approvedBy)),
      });
      if (!verdict.ok) {
        await waitForApproval(deps, github, request, rule, options.shown ?? (await options.show()));
        return false;
      }
    }
    if (protection.waitTimerMinutes > 0) {
      const minutes = protection.waitTimerMinutes;
      const notBefore = rolloutNotBefore({
        now: deps.now(),
        recorded: request.notBefore,
        waitTimerMinutes: minutes,
      });
      if (deps.now() < notBefore) {
        await waitForTimer(deps, github, request, {
          notBefore,
          minutes,
          shown: options.shown ?? (await options.show()),
        });
        return false;
      }
    }
    return true;
  } catch (error) {
    if (!(error instanceof EnvironmentProtectionError)) throw error;
    await options.stop(
      `The protection rules of the GitHub environment **${request.env}** could not be checked: ${error.message}. ` +
        "Nothing was deployed; ask again (Re-run on the check run, or the command) once GitHub answers.",
      "Environment protection could not be checked",
    );
    return false;
  }
}

/** Why the request's branch may not deploy to the environment, or undefined when it may. */
async function branchRefusal(
  github: GitHub,
  request: DeployRequest,
  protection: EnvironmentProtection,
): Promise<string | undefined> {
  if (protection.branchPolicy === "all") return undefined;
  const where = `The GitHub environment **${request.env}** only takes deploys from`;
  const custom = protection.branchPolicy === "custom" ? await listBranchPolicies(github, request) : [];
  const allowed =
    protection.branchPolicy === "protected-branches"
      ? "protected branches"
      : `branches matching ${custom.map((p) => `\`${p.name}\`${p.type === "tag" ? " (tag)" : ""}`).join(", ") || "no pattern"}`;
  if (request.ref === null)
    return `${where} ${allowed}; this commit does not come from a branch of ${request.repository} (a pull request from a fork, say). Nothing was deployed.`;
  const ok =
    protection.branchPolicy === "protected-branches"
      ? await isBranchProtected(github, { repository: request.repository, branch: request.ref })
      : matchBranchPolicies({ kind: "branch", name: request.ref }, custom).ok;
  return ok ? undefined : `${where} ${allowed}; \`${request.ref}\` is not one of them. Nothing was deployed.`;
}

async function waitForApproval(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  rule: RequiredReviewers,
  shown: Shown,
): Promise<void> {
  const reviewers = describeReviewers(rule);
  await deps.records.update(request.id, {
    state: "waiting-approval",
    message: `waiting for approval by ${reviewers}`,
  });
  const render = renderApprovalWait({ ...request, reviewers, preventSelfReview: rule.preventSelfReview });
  await github.rest.checks.update({
    ...repoRef(request.repository),
    check_run_id: shown.checkRun.id,
    output: render.output,
    actions: render.actions.map((a) => ({ ...a })),
  });
  await setDeploymentStatus(github, {
    repository: request.repository,
    deploymentId: shown.deploymentId,
    state: "queued",
    description: `Waiting for approval by ${reviewers}`,
    ...(shown.checkRun.htmlUrl ? { logUrl: shown.checkRun.htmlUrl } : {}),
  });
  await answer(
    deps,
    github,
    request,
    "waiting-approval",
    `⏳ Deploying \`${request.sha.slice(0, 7)}\` to **${request.env}** waits for approval by ${reviewers}: ` +
      `a reviewer clicks **Approve** on the check run${shown.checkRun.htmlUrl ? ` (${shown.checkRun.htmlUrl})` : ""}.` +
      (rule.preventSelfReview ? ` @${request.requestedBy} cannot approve their own request.` : ""),
  );
  deps.log(
    `deploy request ${request.id} to ${request.repository} ${request.env} waits for approval by ${reviewers}`,
  );
}

async function waitForTimer(
  deps: AppDeps,
  github: GitHub,
  request: DeployRequest,
  wait: { notBefore: number; minutes: number; shown: Shown },
): Promise<void> {
  const startsAt = new Date(wait.notBefore);
  await deps.records.update(request.id, {
    state: "waiting-timer",
    notBefore: wait.notBefore,
    message: `starts at ${startsAt.toISOString()} (wait timer)`,
  });
  const render = renderTimerWait({
    env: request.env,
    sha: request.sha,
    startsAt,
    waitTimerMinutes: wait.minutes,
    ...(request.approvedBy === null ? {} : { approvedBy: request.approvedBy }),
  });
  await github.rest.checks.update({
    ...repoRef(request.repository),
    check_run_id: wait.shown.checkRun.id,
    output: render.output,
    actions: [],
  });
  await answer(deps, github, request, "waiting-timer", `⏳ ${render.output.summary}`);
  // Durable and without a sleeping worker: pg-boss holds the job until then.
  await deps.enqueueDeploy(request.id, { again: true, startAfter: startsAt });
}
