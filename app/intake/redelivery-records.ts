import type pg from "pg";
import type { EarlierAsk } from "./choose-redeliveries.ts";

const SCAN_ID = "app-hook";

/**
 * What the webhook redelivery scan remembers in the app's database (tables made by migrateAppSchema): the
 * newest delivery time it has seen, and per delivery guid how many redeliveries it asked and of which attempt.
 */
export interface RedeliveryRecords {
  /** The newest `delivered_at` a finished scan saw, or undefined before the first one. */
  watermark(): Promise<number | undefined>;
  saveWatermark(newestMs: number): Promise<void>;
  asked(guids: readonly string[]): Promise<Map<string, EarlierAsk>>;
  /**
   * Counts an ask to redeliver `attemptId` of `guid` before it is sent; false when that attempt was asked for
   * already (another app instance got there first).
   */
  claimAsk(request: { guid: string; attemptId: number; event: string }): Promise<boolean>;
  /** The ask did not reach GitHub: the attempt may be asked for again (the ask still counts toward the cap). */
  releaseAsk(guid: string): Promise<void>;
  /** Forgets asks older than `beforeMs` (GitHub's log no longer has those deliveries). */
  prune(beforeMs: number): Promise<void>;
  /** Runs `work` unless another app instance is scanning (PostgreSQL advisory lock); undefined then. */
  exclusively<T>(work: () => Promise<T>): Promise<T | undefined>;
}

export function createRedeliveryRecords(pool: pg.Pool): RedeliveryRecords {
  return {
    async watermark() {
      const { rows } = await pool.query<{ newest: Date }>(
        "SELECT newest_delivered_at AS newest FROM aether_redelivery_scan WHERE id = $1",
        [SCAN_ID],
      );
      return rows[0]?.newest.getTime();
    },
    async saveWatermark(newestMs) {
      await pool.query(
        `INSERT INTO aether_redelivery_scan (id, newest_delivered_at) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET newest_delivered_at = GREATEST(aether_redelivery_scan.newest_delivered_at,
           EXCLUDED.newest_delivered_at), scanned_at = clock_timestamp()`,
        [SCAN_ID, new Date(newestMs)],
      );
    },
    async asked(guids) {
      if (guids.length === 0) return new Map();
      const { rows } = await pool.query<{ guid: string; asks: number; last_attempt_id: string }>(
        "SELECT guid, asks, last_attempt_id FROM aether_redelivery_asks WHERE guid = ANY($1::text[])",
        [guids],
      );
      return new Map(
        rows.map((row) => [row.guid, { asks: row.asks, lastAttemptId: Number(row.last_attempt_id) }]),
      );
    },
    async claimAsk(request) {
      const { rowCount } = await pool.query(
        `INSERT INTO aether_redelivery_asks (guid, event, asks, last_attempt_id) VALUES ($1, $2, 1, $3)
         ON CONFLICT (guid) DO UPDATE SET asks = aether_redelivery_asks.asks + 1,
           last_attempt_id = EXCLUDED.last_attempt_id, last_asked_at = clock_timestamp()
         WHERE aether_redelivery_asks.last_attempt_id < EXCLUDED.last_attempt_id`,
        [request.guid, request.event, request.attemptId],
      );
      return rowCount === 1;
    },
    async releaseAsk(guid) {
      await pool.query("UPDATE aether_redelivery_asks SET last_attempt_id = 0 WHERE guid = $1", [guid]);
    },
    async prune(beforeMs) {
      await pool.query("DELETE FROM aether_redelivery_asks WHERE last_asked_at < $1", [new Date(beforeMs)]);
    },
    async exclusively(work) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext('aether-redelivery-scan')) AS locked",
        );
        if (rows[0]?.locked !== true) return undefined;
        try {
          return await work();
        } finally {
          await client.query("SELECT pg_advisory_unlock(hashtext('aether-redelivery-scan'))");
        }
      } finally {
        client.release();
      }
    },
  };
}
