import { backupDatabase } from "../../core/previewdb/backup-database.ts";
import { pruneBackups } from "../../core/previewdb/backup-catalog.ts";
import { previewNames } from "../../core/previewdb/preview-names.ts";
import { backupSchedules } from "../../core/schedule/backup-schedules.ts";
import { runDueBackups } from "../../core/schedule/run-due-backups.ts";
import { readRepoConfig } from "../github/read-repo-config.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import type { BackupRuns } from "./backup-runs.ts";

export interface ScheduledBackupsDeps {
  app: AppDeps;
  runs: BackupRuns;
  /** The folder of pg_dump (found once, on the first backup that needs it). */
  pgBinDir: () => Promise<string>;
  /** Where dumps are spooled before they go into the store. */
  tempDir: string;
}

export interface ScheduledBackup {
  repository: string;
  env: string;
  database: string;
  ok: boolean;
  /** The backup's digest, or what went wrong (redacted). */
  detail: string;
  /** Backups the retention removed. */
  pruned: number;
}

/**
 * One tick of scheduled backups: for every repository the app knows, reads `.github/aether.yml` at the head of
 * its default branch, and backs up each environment whose `backupSchedule` is due at `now` (its database, named
 * as Aether names an environment's database) into the store with pg_dump, then applies `backupRetain`. When
 * each schedule last ran is kept in the app's database, so a due schedule makes one backup however many
 * ticks (or app instances) see it. Failures are logged, redacted, and never thrown.
 */
export async function runScheduledBackups(deps: ScheduledBackupsDeps, now: Date): Promise<ScheduledBackup[]> {
  const { app } = deps;
  const admin = app.previewDb;
  if (admin === undefined) return [];
  return deps.runs.oneAtATime(async () => {
    const out: ScheduledBackup[] = [];
    for (const { repository, installationId } of await deps.runs.repositories()) {
      try {
        const github = app.github.forInstallation(installationId);
        const { data: repo } = await github.rest.repos.get({ ...repoRef(repository) });
        const parsed = await readRepoConfig(github, { repository, sha: repo.default_branch });
        if (!parsed.ok) {
          app.log(
            `scheduled backups of ${repository}: ${repo.default_branch}'s config is invalid: ${parsed.message}`,
          );
          continue;
        }
        const schedules = backupSchedules(parsed.config);
        if (schedules.length === 0) continue;
        const result = await runDueBackups({
          schedules,
          now,
          lastRuns: await deps.runs.lastRuns(repository),
          backup: async (schedule) => {
            const { database } = previewNames({ repository, env: schedule.env });
            const record = await backupDatabase({
              admin,
              database,
              binDir: await deps.pgBinDir(),
              store: app.store,
              tempDir: deps.tempDir,
              now: () => now,
            });
            const pruned = await pruneBackups({
              store: app.store,
              database,
              policy: { keepLast: schedule.retain },
              now,
            });
            return { database, digest: record.digest, pruned: pruned.dropped.length };
          },
        });
        await deps.runs.save(repository, result.lastRuns);
        for (const bad of result.invalid)
          app.log(`scheduled backups of ${repository} ${bad.env}: invalid schedule: ${bad.error}`);
        for (const entry of result.results) {
          const database = previewNames({ repository, env: entry.env }).database;
          if (entry.ok) {
            app.log(`backed up ${repository} ${entry.env} (${database}): ${entry.value.digest}`);
            out.push({
              repository,
              env: entry.env,
              database,
              ok: true,
              detail: entry.value.digest,
              pruned: entry.value.pruned,
            });
          } else {
            const detail = app.redact(entry.error);
            app.log(`scheduled backup of ${repository} ${entry.env} failed (retried next minute): ${detail}`);
            out.push({ repository, env: entry.env, database, ok: false, detail, pruned: 0 });
          }
        }
      } catch (error) {
        app.log(`scheduled backups of ${repository} failed: ${app.redact(messageOf(error))}`);
      }
    }
    return out;
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
