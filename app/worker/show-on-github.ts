import { ensureCheckRun } from "../github/check-runs.ts";
import { ensureDeployment, setDeploymentStatus } from "../github/deployments.ts";
import type { GitHub } from "../github/github-client.ts";
import type { DeployRequest } from "./deploy-records.ts";
import type { AppDeps } from "./worker-deps.ts";

/** The name of a request's check run, and what finds it again (the commit and the request's id). */
export function checkRunName(request: DeployRequest) {
  const name =
    request.app === "app"
      ? `Aether · deploy ${request.env}`
      : `Aether · deploy ${request.app} to ${request.env}`;
  return { repository: request.repository, sha: request.sha, name, requestId: request.id };
}

/** The request's check run and GitHub Deployment, made once (found again on a retry), the deployment queued. */
export async function showOnGitHub(deps: AppDeps, github: GitHub, request: DeployRequest) {
  const checkRun = await ensureCheckRun(github, {
    ...checkRunName(request),
    title: `Deploying ${request.sha.slice(0, 7)} to ${request.env}`,
  });
  let deploymentId = request.deploymentId;
  if (deploymentId === null) {
    deploymentId = await ensureDeployment(github, {
      repository: request.repository,
      sha: request.sha,
      environment: request.env,
      requestId: request.id,
      description: `${request.task} ${request.app} by Aether`,
      transient: request.kind === "preview",
      production: request.kind === "production",
    });
    await setDeploymentStatus(github, {
      repository: request.repository,
      deploymentId,
      state: "queued",
      ...(checkRun.htmlUrl ? { logUrl: checkRun.htmlUrl } : {}),
    });
  }
  await deps.records.update(request.id, { checkRunId: checkRun.id, deploymentId });
  request.checkRunId = checkRun.id;
  request.deploymentId = deploymentId;
  return { checkRun, deploymentId };
}
