import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Delivery, Enqueue } from "./delivery.ts";
import { preparedStatements } from "./prepared-statements.ts";

export const WEBHOOK_QUEUE = "github-webhooks";

/**
 * The durable intake queue on pg-boss: a delivery is stored in PostgreSQL before GitHub gets its answer, its
 * job id is GitHub's delivery id (so a redelivery is a no-op insert), and failed handling is retried with
 * exponential backoff. The insert runs as a prepared statement on `pool` (see preparedStatements).
 */
export async function createWebhookQueue(boss: PgBoss, pool: pg.Pool): Promise<{ enqueue: Enqueue }> {
  await boss.createQueue(WEBHOOK_QUEUE, {
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 300,
    // Wakes an idle worker as soon as a delivery is stored (with the instance's useListenNotify).
    notify: true,
  });
  const db = preparedStatements(pool);
  return {
    enqueue: async (delivery: Delivery) => {
      const id = await boss.send(WEBHOOK_QUEUE, { ...delivery }, { id: delivery.id, db });
      return id === null ? "duplicate" : "queued";
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether the intake took in the delivery with this id (GitHub's `X-GitHub-Delivery`, lowercased): its job is
 * queued, running or done (pg-boss keeps finished jobs 7 days by default, longer than GitHub's 3-day log).
 */
export async function deliveryReceived(boss: PgBoss, deliveryId: string): Promise<boolean> {
  const id = deliveryId.toLowerCase();
  if (!UUID.test(id)) return false;
  return (await boss.findJobs(WEBHOOK_QUEUE, { id })).length > 0;
}
