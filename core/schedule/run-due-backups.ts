import { nextRun } from "./next-run.ts";
import { parseCron, type CronSchedule } from "./parse-cron.ts";

/** One environment's scheduled backup, as `backupSchedules` reads it from config. */
export interface BackupSchedule {
  env: string;
  /** 5-field cron expression, UTC. */
  schedule: string;
  /** Newest backups to keep (the retention the `backup` callback applies after a success). */
  retain: number;
}

export interface RunDueBackupsRequest<T> {
  schedules: readonly BackupSchedule[];
  now: Date;
  /** When each environment's schedule was last handled (ISO time, by env); absent: never. */
  lastRuns: Readonly<Record<string, string | undefined>>;
  /** Backs one environment up (and applies its retention); its value is passed through to the result. */
  backup: (schedule: BackupSchedule) => Promise<T>;
}

export type DueBackupResult<T> =
  { env: string; due: string; ok: true; value: T } | { env: string; due: string; ok: false; error: string };

export interface RunDueBackupsResult<T> {
  /** One entry per backup attempted, in schedule order. */
  results: Array<DueBackupResult<T>>;
  /** The `lastRuns` to store for the next call. */
  lastRuns: Record<string, string>;
  /** Schedules that could not be read; their backups are not attempted. */
  invalid: Array<{ env: string; error: string }>;
  /** When each readable schedule fires next after `now` (a failed one is retried on the next call). */
  nextRuns: Record<string, string>;
}

/**
 * Runs the backups that are due, one after another, and says what to remember. The app calls it from a
 * periodic pg-boss job (every few minutes) with the time and the last runs it stored; this function keeps
 * no state and touches nothing but `backup`.
 * - A schedule seen for the first time is not back-filled: it is remembered as handled `now`, and first runs
 *   at its next time.
 * - After downtime, the missed times of one schedule give ONE backup, not one per missed time.
 * - A failed backup leaves its last run as it was, so the next call tries again; the error is in `results`.
 * @example const r = await runDueBackups({ schedules, now: new Date(), lastRuns, backup: (s) => backupEnv(s) });
 */
export async function runDueBackups<T>(request: RunDueBackupsRequest<T>): Promise<RunDueBackupsResult<T>> {
  const { now } = request;
  const lastRuns: Record<string, string> = {};
  for (const [env, at] of Object.entries(request.lastRuns)) if (at !== undefined) lastRuns[env] = at;
  const results: Array<DueBackupResult<T>> = [];
  const invalid: Array<{ env: string; error: string }> = [];
  const nextRuns: Record<string, string> = {};
  for (const entry of request.schedules) {
    let cron: CronSchedule;
    try {
      cron = parseCron(entry.schedule);
    } catch (error) {
      invalid.push({ env: entry.env, error: messageOf(error) });
      continue;
    }
    const last = lastRuns[entry.env];
    const lastTime = last === undefined ? Number.NaN : Date.parse(last);
    if (Number.isNaN(lastTime)) {
      lastRuns[entry.env] = now.toISOString();
    } else {
      const due = nextRun(cron, new Date(lastTime));
      if (due.getTime() <= now.getTime()) {
        try {
          const value = await request.backup(entry);
          results.push({ env: entry.env, due: due.toISOString(), ok: true, value });
          lastRuns[entry.env] = now.toISOString();
        } catch (error) {
          results.push({ env: entry.env, due: due.toISOString(), ok: false, error: messageOf(error) });
        }
      }
    }
    nextRuns[entry.env] = nextRun(cron, now).toISOString();
  }
  return { results, lastRuns, invalid, nextRuns };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
