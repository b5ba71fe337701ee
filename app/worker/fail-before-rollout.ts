import { concludeCheckRun } from "../github/check-runs.ts";
import { setDeploymentStatus } from "../github/deployments.ts";
import type { GitHub } from "../github/github-client.ts";
import type { DeployRequest } from "./deploy-records.ts";
import type { Shown } from "./environment-gate.ts";
import { answer } from "./finish-deploy.ts";
import type { AppDeps } from "./worker-deps.ts";

/**
 * Ends a request that already shows on GitHub before its rollout (required checks failed, a branch policy or
 * GitHub's protection refused it): the check run and the deployment fail with `message`, and the command
 * that asked gets it as its answer.
 */
export async function failBeforeRollout(options: {
  deps: AppDeps;
  github: GitHub;
  request: DeployRequest;
  shown: Shown;
  message: string;
  title: string;
}): Promise<void> {
  const { deps, github, request, shown, message } = options;
  await concludeCheckRun(github, {
    repository: request.repository,
    checkRunId: shown.checkRun.id,
    conclusion: "failure",
    title: options.title,
    summary: message,
  });
  await setDeploymentStatus(github, {
    repository: request.repository,
    deploymentId: shown.deploymentId,
    state: "failure",
    description: message,
  });
  await deps.records.update(request.id, { state: "failure", message });
  await answer(deps, github, request, "failure", `❌ ${message}`, "-1");
}
