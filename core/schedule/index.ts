// Cron schedules (UTC) and the scheduled-backup logic the app runs from a pg-boss job.
export { parseCron, CronSyntaxError } from "./parse-cron.ts";
export type { CronSchedule } from "./parse-cron.ts";
export { nextRun, CronNeverRunsError } from "./next-run.ts";
export { runDueBackups } from "./run-due-backups.ts";
export type {
  BackupSchedule,
  DueBackupResult,
  RunDueBackupsRequest,
  RunDueBackupsResult,
} from "./run-due-backups.ts";
export { backupSchedules } from "./backup-schedules.ts";
