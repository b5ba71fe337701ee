import type { Deployment, DeploymentStatus, GitHubState } from "./github-state.ts";
import { errorReply, notFound, paginate, user, type Handler, type HandlerContext } from "./handler.ts";
import type { JsonObject } from "./openapi-spec.ts";
import { findRepo, fullName } from "./handlers-repos.ts";

const docs = "https://docs.github.com/rest/deployments";

/** Deployments and deployment statuses, with GitHub's required-contexts check. */
export const deploymentHandlers: Record<string, Handler> = {
  "repos/create-deployment": (c) => {
    if (findRepo(c) === undefined) return notFound(`${docs}/deployments#create-a-deployment`);
    const ref = String(c.body.ref);
    const sha = c.state.resolveRef(fullName(c), ref);
    if (sha === undefined)
      return errorReply(422, `No ref found for: ${ref}`, `${docs}/deployments#create-a-deployment`);
    const required = Array.isArray(c.body.required_contexts)
      ? c.body.required_contexts.map(String)
      : undefined;
    const failing = failingContexts(c.state, fullName(c), sha, required);
    if (failing.length > 0) {
      return errorReply(
        409,
        `Conflict: Commit status checks failed for ${ref}.`,
        `${docs}/deployments#create-a-deployment`,
        {
          errors: [
            { contexts: failing, resource: "Deployment", field: "required_contexts", code: "invalid" },
          ],
        },
      );
    }
    const environment = typeof c.body.environment === "string" ? c.body.environment : "production";
    const deployment: Deployment = {
      repo: fullName(c),
      id: c.state.id(),
      sha,
      ref,
      task: typeof c.body.task === "string" ? c.body.task : "deploy",
      environment,
      payload: c.body.payload ?? {},
      description: typeof c.body.description === "string" ? c.body.description : null,
      transientEnvironment: c.body.transient_environment === true,
      productionEnvironment:
        typeof c.body.production_environment === "boolean"
          ? c.body.production_environment
          : environment === "production",
      creator: c.state.botLogin,
      createdAt: c.state.timestamp(),
    };
    c.state.deployments.push(deployment);
    return { status: 201, body: renderDeployment(deployment, c) };
  },
  "repos/list-deployments": (c) => {
    if (findRepo(c) === undefined) return notFound();
    const q = c.query;
    const all = c.state.deployments.filter(
      (d) =>
        d.repo === fullName(c) &&
        (q.sha === undefined || d.sha === q.sha) &&
        (q.ref === undefined || d.ref === q.ref) &&
        (q.task === undefined || d.task === q.task) &&
        (q.environment === undefined || d.environment === q.environment),
    );
    const { page, headers } = paginate([...all].reverse(), c);
    return { status: 200, body: page.map((d) => renderDeployment(d, c)), headers };
  },
  "repos/get-deployment": (c) => {
    const deployment = findDeployment(c);
    return deployment === undefined ? notFound() : { status: 200, body: renderDeployment(deployment, c) };
  },
  "repos/create-deployment-status": (c) => {
    const deployment = findDeployment(c);
    if (deployment === undefined) return notFound(`${docs}/statuses#create-a-deployment-status`);
    const text = (key: string): string => (typeof c.body[key] === "string" ? String(c.body[key]) : "");
    const status: DeploymentStatus = {
      deploymentId: deployment.id,
      id: c.state.id(),
      state: String(c.body.state),
      description: text("description"),
      environmentUrl: text("environment_url"),
      logUrl: text("log_url") || text("target_url"),
      environment: text("environment") || deployment.environment,
      createdAt: c.state.timestamp(),
    };
    if (status.state === "success" && c.body.auto_inactive !== false)
      markOthersInactive(c.state, deployment, c);
    c.state.deploymentStatuses.push(status);
    return { status: 201, body: renderStatus(status, deployment, c) };
  },
  "repos/list-deployment-statuses": (c) => {
    const deployment = findDeployment(c);
    if (deployment === undefined) return notFound();
    const all = c.state.deploymentStatuses.filter((s) => s.deploymentId === deployment.id);
    const { page, headers } = paginate([...all].reverse(), c);
    return { status: 200, body: page.map((s) => renderStatus(s, deployment, c)), headers };
  },
};

/**
 * The contexts that block a deployment: by default every status context and check run on the commit
 * must have succeeded; `required_contexts: []` skips the check. A required context absent from the
 * commit counts as pending.
 */
function failingContexts(
  state: GitHubState,
  repo: string,
  sha: string,
  required: string[] | undefined,
): { context: string; state: string }[] {
  const contexts = new Map<string, string>();
  for (const s of state.statuses) if (s.repo === repo && s.sha === sha) contexts.set(s.context, s.state);
  for (const run of state.checkRuns) {
    if (run.repo !== repo || run.headSha !== sha || run.appSlug === state.appSlug) continue;
    const ok = run.conclusion === "success" || run.conclusion === "neutral" || run.conclusion === "skipped";
    contexts.set(run.name, run.status !== "completed" ? "pending" : ok ? "success" : "failure");
  }
  const names = required ?? [...contexts.keys()];
  return names
    .map((context) => ({ context, state: contexts.get(context) ?? "pending" }))
    .filter((x) => x.state !== "success");
}

function markOthersInactive(state: GitHubState, current: Deployment, c: HandlerContext): void {
  for (const other of state.deployments) {
    if (other.id === current.id || other.repo !== current.repo || other.environment !== current.environment)
      continue;
    const latest = state.deploymentStatuses.findLast((s) => s.deploymentId === other.id);
    if (latest?.state !== "success") continue;
    state.deploymentStatuses.push({
      ...latest,
      id: state.id(),
      state: "inactive",
      description: "",
      createdAt: c.state.timestamp(),
    });
  }
}

function findDeployment(c: HandlerContext): Deployment | undefined {
  if (findRepo(c) === undefined) return undefined;
  return c.state.deployments.find((d) => d.repo === fullName(c) && d.id === Number(c.params.deployment_id));
}

function renderDeployment(d: Deployment, c: HandlerContext): JsonObject {
  const url = `${c.baseUrl}/repos/${d.repo}/deployments/${d.id}`;
  return {
    id: d.id,
    node_id: `DE_${d.id}`,
    url,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    environment: d.environment,
    original_environment: d.environment,
    description: d.description,
    creator: user(d.creator, c.baseUrl),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: `${c.baseUrl}/repos/${d.repo}`,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
  };
}

function renderStatus(s: DeploymentStatus, d: Deployment, c: HandlerContext): JsonObject {
  const deploymentUrl = `${c.baseUrl}/repos/${d.repo}/deployments/${d.id}`;
  return {
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    description: s.description,
    environment: s.environment,
    ...(s.environmentUrl === "" ? {} : { environment_url: s.environmentUrl }),
    log_url: s.logUrl,
    target_url: s.logUrl,
    creator: user(c.state.botLogin, c.baseUrl),
    created_at: s.createdAt,
    updated_at: s.createdAt,
    url: `${deploymentUrl}/statuses/${s.id}`,
    deployment_url: deploymentUrl,
    repository_url: `${c.baseUrl}/repos/${d.repo}`,
  };
}
