import type { DeployRequest, NewDeployRequest } from "../worker/deploy-records.ts";
import type { AppDeps } from "../worker/worker-deps.ts";

/**
 * Records deploy requests and hands them to the worker. The dedupe key makes a redelivered event (or a
 * handler retried after a crash) record and run each request once.
 */
export async function requestDeploys(
  deps: AppDeps,
  requests: readonly NewDeployRequest[],
): Promise<DeployRequest[]> {
  const out: DeployRequest[] = [];
  for (const request of requests) {
    const { request: stored } = await deps.records.insert(request);
    await deps.enqueueDeploy(stored.id);
    out.push(stored);
  }
  return out;
}
