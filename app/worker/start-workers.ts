import type { PgBoss } from "pg-boss";
import { handleDelivery } from "../events/handle-delivery.ts";
import type { Delivery } from "../intake/delivery.ts";
import { WEBHOOK_QUEUE } from "../intake/pg-boss-queue.ts";
import { DEPLOY_QUEUE, type DeployJob } from "./deploy-queue.ts";
import { runDeployRequest } from "./run-deploy-request.ts";
import type { AppDeps } from "./worker-deps.ts";

/**
 * Starts the two workers: deliveries (handlers, which record deploy requests) and deploys. A job that throws
 * is retried by pg-boss with backoff. Every lease period, requests whose worker stopped mid-deploy (a crash,
 * a restart: the lease ran out) are queued again, and the claim makes sure only one worker resumes each.
 */
export async function startWorkers(
  boss: PgBoss,
  deps: AppDeps,
  options: { pollingIntervalSeconds?: number } = {},
) {
  const seconds = options.pollingIntervalSeconds ?? 2;
  // NOTIFY wakes a worker for a new job at once, but nothing wakes it when a delayed one comes due (a retry's
  // backoff, an environment's wait timer): poll at the same pace with NOTIFY on (pg-boss would wait 30 s).
  const polling = { pollingIntervalSeconds: seconds, notifyPollingIntervalSeconds: seconds };
  await boss.work<Delivery>(
    WEBHOOK_QUEUE,
    { ...polling, batchSize: 1, localConcurrency: 2 },
    async ([job]) => {
      if (job)
        await logged(deps, `delivery ${job.data.id} (${job.data.event})`, () =>
          handleDelivery(deps, job.data),
        );
    },
  );
  await boss.work<DeployJob>(
    DEPLOY_QUEUE,
    { ...polling, batchSize: 1, localConcurrency: 2 },
    async ([job]) => {
      if (job)
        await logged(deps, `deploy request ${job.data.requestId}`, () =>
          runDeployRequest(deps, job.data.requestId),
        );
    },
  );
  const recover = async () => {
    try {
      for (const id of await deps.records.lapsed()) {
        // A late lease renewal of this process's own run is not a dead worker.
        if (deps.inFlight.has(id)) continue;
        deps.log(`resuming deploy request ${id}: its worker stopped before it finished`);
        await deps.enqueueDeploy(id, { again: true });
      }
    } catch (error) {
      deps.log(`recovery scan failed: ${deps.redact(String(error))}`);
    }
  };
  await recover();
  const timer = setInterval(() => void recover(), Math.max(500, deps.leaseMs));
  return {
    /** Stops taking jobs; `wait` lets the running ones finish first. */
    stop: async (stopOptions: { wait: boolean }) => {
      clearInterval(timer);
      await boss.offWork(WEBHOOK_QUEUE, { wait: stopOptions.wait });
      await boss.offWork(DEPLOY_QUEUE, { wait: stopOptions.wait });
    },
  };
}

/** Runs a job, logging a failure in one redacted line before pg-boss retries it. */
async function logged(deps: AppDeps, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    deps.log(
      `${what} failed (will be retried): ${deps.redact(error instanceof Error ? error.message : String(error))}`,
    );
    throw error;
  }
}
