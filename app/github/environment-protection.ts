import type { DeploymentBranchPolicy } from "../../core/policy/branch-policy-match.ts";
import type { RequiredReviewers } from "../../core/policy/environment-approval.ts";
import type { GitHub } from "./github-client.ts";
import { statusOf } from "./read-repo-config.ts";
import { repoRef } from "./repo-ref.ts";

/** A GitHub environment's protection, as the app enforces it (GitHub only enforces it on Actions jobs). */
export interface EnvironmentProtection {
  name: string;
  /** Which refs may deploy: all, protected branches only, or those matching the environment's policies. */
  branchPolicy: "all" | "protected-branches" | "custom";
  reviewers: RequiredReviewers | undefined;
  waitTimerMinutes: number;
}

/** GitHub could not tell the app an environment's protection (other than "no such environment"). */
export class EnvironmentProtectionError extends Error {
  constructor(what: string, cause: unknown) {
    const status = statusOf(cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    // A 403 is most often an installation that has not accepted the permissions this needs yet.
    const hint =
      status === 403
        ? "; the app needs the `actions: read` permission (and `members: read` for team reviewers)"
        : "";
    super(
      `could not read ${what} from GitHub (${status === undefined ? detail : `HTTP ${status}: ${detail}`})${hint}`,
      { cause },
    );
    this.name = "EnvironmentProtectionError";
  }
}

/**
 * `GET /repos/{owner}/{repo}/environments/{env}`: undefined when the repository has no GitHub environment of
 * that name (GitHub creates an unprotected one with the first Deployment); any other failure throws
 * EnvironmentProtectionError, so a caller can refuse rather than deploy unchecked.
 */
export async function readEnvironmentProtection(
  github: GitHub,
  request: { repository: string; env: string },
): Promise<EnvironmentProtection | undefined> {
  let data: unknown;
  try {
    ({ data } = await github.rest.repos.getEnvironment({
      ...repoRef(request.repository),
      environment_name: request.env,
    }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw new EnvironmentProtectionError(`the protection rules of the environment ${request.env}`, error);
  }
  return parseEnvironment(request.env, data);
}

/** The environment's custom deployment branch and tag policies (every page). */
export async function listBranchPolicies(
  github: GitHub,
  request: { repository: string; env: string },
): Promise<DeploymentBranchPolicy[]> {
  try {
    const policies = await github.paginate(github.rest.repos.listDeploymentBranchPolicies, {
      ...repoRef(request.repository),
      environment_name: request.env,
      per_page: 100,
    });
    return policies.map((p) => ({ name: p.name ?? "", ...(p.type === undefined ? {} : { type: p.type }) }));
  } catch (error) {
    throw new EnvironmentProtectionError(`the deployment branch policies of ${request.env}`, error);
  }
}

/** Whether a branch has branch protection (a deleted branch has none). */
export async function isBranchProtected(
  github: GitHub,
  request: { repository: string; branch: string },
): Promise<boolean> {
  try {
    const { data } = await github.rest.repos.getBranch({
      ...repoRef(request.repository),
      branch: request.branch,
    });
    return data.protected;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw new EnvironmentProtectionError(`whether the branch ${request.branch} is protected`, error);
  }
}

/**
 * Whether `login` is one of the rule's reviewers: a listed user, or an active member of a listed team of the
 * repository's organization (read from the API, never from a payload).
 */
export async function isEnvironmentReviewer(
  github: GitHub,
  request: { repository: string; rule: RequiredReviewers; login: string },
): Promise<boolean> {
  const login = request.login.toLowerCase();
  if (request.rule.users.some((u) => u.toLowerCase() === login)) return true;
  const { owner } = repoRef(request.repository);
  for (const team of request.rule.teams) {
    try {
      const { data } = await github.rest.teams.getMembershipForUserInOrg({
        org: owner,
        team_slug: team,
        username: request.login,
      });
      if (data.state === "active") return true;
    } catch (error) {
      if (statusOf(error) !== 404) throw new EnvironmentProtectionError(`the members of team ${team}`, error);
    }
  }
  return false;
}

function parseEnvironment(name: string, data: unknown): EnvironmentProtection {
  const record = asRecord(data);
  const policy = asRecord(record["deployment_branch_policy"]);
  const branchPolicy =
    policy["protected_branches"] === true
      ? "protected-branches"
      : policy["custom_branch_policies"] === true
        ? "custom"
        : "all";
  let reviewers: RequiredReviewers | undefined;
  let waitTimerMinutes = 0;
  const rules = Array.isArray(record["protection_rules"]) ? record["protection_rules"] : [];
  for (const rule of rules.map(asRecord)) {
    if (rule["type"] === "wait_timer" && typeof rule["wait_timer"] === "number")
      waitTimerMinutes = rule["wait_timer"];
    if (rule["type"] !== "required_reviewers") continue;
    const users: string[] = [];
    const teams: string[] = [];
    for (const entry of (Array.isArray(rule["reviewers"]) ? rule["reviewers"] : []).map(asRecord)) {
      const reviewer = asRecord(entry["reviewer"]);
      if (entry["type"] === "User" && typeof reviewer["login"] === "string") users.push(reviewer["login"]);
      if (entry["type"] === "Team" && typeof reviewer["slug"] === "string") teams.push(reviewer["slug"]);
    }
    reviewers = { users, teams, preventSelfReview: rule["prevent_self_review"] === true };
  }
  return { name, branchPolicy, reviewers, waitTimerMinutes };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
