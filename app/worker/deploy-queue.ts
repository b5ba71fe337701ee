import { randomUUID } from "node:crypto";
import type { PgBoss } from "pg-boss";

export const DEPLOY_QUEUE = "aether-deploys";

/** What a deploy job carries: only the request's id; the request itself lives in aether_deploy_requests. */
export interface DeployJob {
  requestId: string;
}

/**
 * Sends a deploy request to the worker (runs once per request id; `again` for a wake-up or a resume).
 * `startAfter` holds the job in the queue until then (an environment's wait timer), durably, without a sleep.
 */
export type EnqueueDeploy = (
  requestId: string,
  options?: { again?: boolean; startAfter?: Date },
) => Promise<void>;

/**
 * The deploy queue on pg-boss: retried with backoff when a job throws (GitHub or the store unreachable),
 * notified so an idle worker starts at once. The first job of a request has the request's id as its job id,
 * so enqueuing the same request twice (a redelivered event) runs it once.
 */
export async function createDeployQueue(
  boss: PgBoss,
  options: { retryDelaySeconds?: number } = {},
): Promise<EnqueueDeploy> {
  await boss.createQueue(DEPLOY_QUEUE, {
    retryLimit: 5,
    retryDelay: options.retryDelaySeconds ?? 5,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: 30 * 60,
    notify: true,
  });
  return async (requestId, enqueueOptions = {}) => {
    const data: DeployJob = { requestId };
    await boss.send(
      DEPLOY_QUEUE,
      { ...data },
      {
        id: enqueueOptions.again ? randomUUID() : requestId,
        ...(enqueueOptions.startAfter === undefined ? {} : { startAfter: enqueueOptions.startAfter }),
      },
    );
  };
}
