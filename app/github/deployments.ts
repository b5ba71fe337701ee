import type { GitHub } from "./github-client.ts";
import { repoRef } from "./repo-ref.ts";

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

/**
 * The GitHub Deployment of one Aether deploy request, created once: an earlier attempt's deployment (found by
 * `payload.aetherRequest`) is reused, so a retry after a lost response never makes a second one.
 * `required_contexts: []`: Aether checks the configured checks itself, before it gets here.
 */
export async function ensureDeployment(
  github: GitHub,
  request: {
    repository: string;
    sha: string;
    environment: string;
    requestId: string;
    description: string;
    transient: boolean;
    production: boolean;
  },
): Promise<number> {
  const repo = repoRef(request.repository);
  const existing = await github.rest.repos.listDeployments({
    ...repo,
    sha: request.sha,
    environment: request.environment,
    per_page: 100,
  });
  const found = existing.data.find((d) => payloadRequest(d.payload) === request.requestId);
  if (found) return found.id;
  const created = await github.rest.repos.createDeployment({
    ...repo,
    ref: request.sha,
    environment: request.environment,
    description: request.description.slice(0, 140),
    auto_merge: false,
    required_contexts: [],
    payload: { aetherRequest: request.requestId },
    transient_environment: request.transient,
    production_environment: request.production,
    // A lost answer is not re-POSTed: the next attempt finds the deployment by its payload.
    request: { retries: 0 },
  });
  if (!("id" in created.data))
    throw new Error(`GitHub did not create a deployment: ${created.data.message ?? ""}`);
  return created.data.id;
}

/** Posts one deployment status; `success` carries the URL and the check run as its log. */
export async function setDeploymentStatus(
  github: GitHub,
  request: {
    repository: string;
    deploymentId: number;
    state: DeploymentState;
    description?: string;
    environmentUrl?: string;
    logUrl?: string;
  },
): Promise<void> {
  await github.rest.repos.createDeploymentStatus({
    ...repoRef(request.repository),
    deployment_id: request.deploymentId,
    state: request.state,
    ...(request.description === undefined ? {} : { description: request.description.slice(0, 140) }),
    ...(request.environmentUrl === undefined ? {} : { environment_url: request.environmentUrl }),
    ...(request.logUrl === undefined ? {} : { log_url: request.logUrl }),
    auto_inactive: true,
  });
}

/** Marks every deployment of an environment inactive (a closed PR's preview): what GitHub shows as gone. */
export async function deactivateEnvironment(
  github: GitHub,
  request: { repository: string; environment: string },
): Promise<number> {
  const repo = repoRef(request.repository);
  const list = await github.rest.repos.listDeployments({
    ...repo,
    environment: request.environment,
    per_page: 100,
  });
  for (const deployment of list.data) {
    await setDeploymentStatus(github, {
      repository: request.repository,
      deploymentId: deployment.id,
      state: "inactive",
      description: "The environment was torn down",
    });
  }
  return list.data.length;
}

function payloadRequest(payload: unknown): unknown {
  if (payload !== null && typeof payload === "object" && "aetherRequest" in payload)
    return payload.aetherRequest;
  return undefined;
}
