import type { AetherConfig } from "../config/config-schema.ts";
import type { BackupSchedule } from "./run-due-backups.ts";

/** Scheduled backups kept when `backupRetain` is not set. */
export const DEFAULT_RETAIN = 7;

/**
 * The backup schedules in a config: one per environment with `environments.<name>.backupSchedule` (cron,
 * UTC), keeping `backupRetain` backups (default 7), in name order.
 * @example backupSchedules(config) // [{ env: "production", schedule: "0 3 * * *", retain: 7 }]
 */
export function backupSchedules(config: Pick<AetherConfig, "environments">): BackupSchedule[] {
  return Object.entries(config.environments)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([env, settings]) => {
      const schedule = settings.backupSchedule;
      return schedule === undefined
        ? []
        : [{ env, schedule, retain: settings.backupRetain ?? DEFAULT_RETAIN }];
    });
}
