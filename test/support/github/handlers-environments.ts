import { notFound, paginate, user, type Handler, type HandlerContext } from "./handler.ts";
import type { JsonObject } from "./openapi-spec.ts";

const docs = "https://docs.github.com/rest/deployments";

/** How a test seeds a GitHub environment's protection rules. */
export interface EnvironmentSeed {
  /** The required reviewers rule: user logins and team slugs (of the repository's owner). */
  reviewers?: { users?: string[]; teams?: string[]; preventSelfReview?: boolean };
  /** `"protected"`: protected branches only; a list: custom branch (or tag) name patterns. */
  branchPolicy?: "protected" | readonly (string | { name: string; type: "branch" | "tag" })[];
  waitTimerMinutes?: number;
}

interface StoredEnvironment extends EnvironmentSeed {
  id: number;
  createdAt: string;
}

/**
 * GitHub environments with their protection rules, team memberships and protected branches: what
 * `GET /repos/{o}/{r}/environments/{name}`, its deployment branch policies, `GET .../branches/{branch}` and
 * `GET /orgs/{org}/teams/{slug}/memberships/{user}` answer from.
 */
export class EnvironmentBook {
  readonly environments = new Map<string, StoredEnvironment>();
  readonly teamMembers = new Map<string, Set<string>>();
  readonly protectedBranches = new Set<string>();
  private readonly clock: { id: () => number; timestamp: () => string };

  constructor(clock: { id: () => number; timestamp: () => string }) {
    this.clock = clock;
  }

  /** Creates or replaces the environment `name` of `repo` (`owner/name`). */
  set(repo: string, name: string, seed: EnvironmentSeed = {}): void {
    const existing = this.environments.get(`${repo}\n${name}`);
    this.environments.set(`${repo}\n${name}`, {
      ...seed,
      id: existing?.id ?? this.clock.id(),
      createdAt: existing?.createdAt ?? this.clock.timestamp(),
    });
  }

  delete(repo: string, name: string): void {
    this.environments.delete(`${repo}\n${name}`);
  }

  get(repo: string, name: string): StoredEnvironment | undefined {
    return this.environments.get(`${repo}\n${name}`);
  }

  /** Makes `login` an active member of the team `org/slug`. */
  addTeamMember(org: string, slug: string, login: string): void {
    const members = this.teamMembers.get(`${org}/${slug}`) ?? new Set<string>();
    members.add(login);
    this.teamMembers.set(`${org}/${slug}`, members);
  }

  /** Gives `branch` of `repo` branch protection (`protected: true` in `GET .../branches/{branch}`). */
  protectBranch(repo: string, branch: string): void {
    this.protectedBranches.add(`${repo}\n${branch}`);
  }
}

export const environmentHandlers: Record<string, Handler> = {
  "repos/get-environment": (c) => {
    const env = c.state.environments.get(fullName(c), c.params.environment_name!);
    if (env === undefined) return notFound(`${docs}/environments#get-an-environment`);
    return { status: 200, body: renderEnvironment(c, c.params.environment_name!, env) };
  },
  "repos/list-deployment-branch-policies": (c) => {
    const env = c.state.environments.get(fullName(c), c.params.environment_name!);
    if (env === undefined) return notFound(`${docs}/branch-policies#list-deployment-branch-policies`);
    const policies = Array.isArray(env.branchPolicy) ? env.branchPolicy : [];
    const all = policies.map((p, i) => {
      const policy = typeof p === "string" ? { name: p, type: "branch" } : p;
      return { id: env.id * 100 + i, node_id: `DBP_${env.id}_${i}`, ...policy };
    });
    const { page, headers } = paginate(all, c);
    return { status: 200, body: { total_count: all.length, branch_policies: page }, headers };
  },
  "repos/get-branch": (c) => {
    const repo = c.state.repos.get(fullName(c));
    const branch = c.params.branch!;
    const sha = repo?.branches.get(branch);
    if (repo === undefined || sha === undefined)
      return { status: 404, body: { message: "Branch not found", documentation_url: docs, status: "404" } };
    const isProtected = c.state.environments.protectedBranches.has(`${fullName(c)}\n${branch}`);
    const url = `${c.baseUrl}/repos/${fullName(c)}/branches/${branch}`;
    return {
      status: 200,
      body: {
        name: branch,
        commit: { sha, url: `${c.baseUrl}/repos/${fullName(c)}/commits/${sha}` },
        protected: isProtected,
        protection_url: `${url}/protection`,
        _links: { self: url, html: `https://github.com/${fullName(c)}/tree/${branch}` },
      },
    };
  },
  "teams/get-membership-for-user-in-org": (c) => {
    const members = c.state.environments.teamMembers.get(`${c.params.org}/${c.params.team_slug}`);
    if (members === undefined || !members.has(c.params.username!))
      return notFound("https://docs.github.com/rest/teams/members#get-team-membership-for-a-user");
    return {
      status: 200,
      body: {
        url: `${c.baseUrl}/organizations/1/team/1/memberships/${c.params.username}`,
        role: "member",
        state: "active",
      },
    };
  },
};

function renderEnvironment(c: HandlerContext, name: string, env: StoredEnvironment): JsonObject {
  const repo = fullName(c);
  const rules: JsonObject[] = [];
  if (env.reviewers !== undefined) {
    const [org = ""] = repo.split("/");
    rules.push({
      id: env.id + 1,
      node_id: `GA_${env.id}_r`,
      type: "required_reviewers",
      prevent_self_review: env.reviewers.preventSelfReview ?? false,
      reviewers: [
        ...(env.reviewers.users ?? []).map((login) => ({ type: "User", reviewer: user(login, c.baseUrl) })),
        ...(env.reviewers.teams ?? []).map((slug, i) => ({
          type: "Team",
          reviewer: {
            id: env.id * 10 + i,
            node_id: `T_${env.id}_${i}`,
            name: slug,
            slug,
            description: null,
            privacy: "closed",
            permission: "pull",
            url: `${c.baseUrl}/orgs/${org}/teams/${slug}`,
            html_url: `https://github.com/orgs/${org}/teams/${slug}`,
            members_url: `${c.baseUrl}/orgs/${org}/teams/${slug}/members{/member}`,
            repositories_url: `${c.baseUrl}/orgs/${org}/teams/${slug}/repos`,
            parent: null,
          },
        })),
      ],
    });
  }
  if ((env.waitTimerMinutes ?? 0) > 0)
    rules.push({
      id: env.id + 2,
      node_id: `GA_${env.id}_w`,
      type: "wait_timer",
      wait_timer: env.waitTimerMinutes!,
    });
  if (env.branchPolicy !== undefined)
    rules.push({ id: env.id + 3, node_id: `GA_${env.id}_b`, type: "branch_policy" });
  const protectedOnly = env.branchPolicy === "protected";
  return {
    id: env.id,
    node_id: `EN_${env.id}`,
    name,
    url: `${c.baseUrl}/repos/${repo}/environments/${encodeURIComponent(name)}`,
    html_url: `https://github.com/${repo}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
    created_at: env.createdAt,
    updated_at: env.createdAt,
    protection_rules: rules,
    deployment_branch_policy:
      env.branchPolicy === undefined
        ? null
        : { protected_branches: protectedOnly, custom_branch_policies: !protectedOnly },
  };
}

function fullName(c: HandlerContext): string {
  return `${c.params.owner}/${c.params.repo}`;
}
