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
