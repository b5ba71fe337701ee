import type pg from "pg";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS aether_backup_runs (
  repository text NOT NULL,
  env text NOT NULL,
  last_run text NOT NULL,
  PRIMARY KEY (repository, env)
);`;

/**
 * What scheduled backups remember between runs, in the app's database: when each (repository, environment)
 * schedule was last handled (runDueBackups's `lastRuns`), and the repositories the app knows.
 */
export function createBackupRuns(pool: pg.Pool) {
  return {
    /** Creates the table; several app instances starting at once take turns. */
    async migrate(): Promise<void> {
      await exclusively(pool, "aether-backup-runs-schema", () => pool.query(SCHEMA));
    },
    /**
     * The repositories the app has deployed or been asked to (with the newest installation id seen): the
     * ones whose config may ask for backups.
     */
    async repositories(): Promise<Array<{ repository: string; installationId: number }>> {
      const { rows } = await pool.query(
        `SELECT DISTINCT ON (repository) repository, installation_id FROM aether_deploy_requests
         ORDER BY repository, seq DESC`,
      );
      return rows.map((row: Record<string, unknown>) => ({
        repository: String(row["repository"]),
        installationId: Number(row["installation_id"]),
      }));
    },
    async lastRuns(repository: string): Promise<Record<string, string>> {
      const { rows } = await pool.query(
        "SELECT env, last_run FROM aether_backup_runs WHERE repository = $1",
        [repository],
      );
      return Object.fromEntries(
        rows.map((row: Record<string, unknown>) => [String(row["env"]), String(row["last_run"])]),
      );
    },
    async save(repository: string, lastRuns: Readonly<Record<string, string>>): Promise<void> {
      for (const [env, at] of Object.entries(lastRuns)) {
        await pool.query(
          `INSERT INTO aether_backup_runs (repository, env, last_run) VALUES ($1, $2, $3)
           ON CONFLICT (repository, env) DO UPDATE SET last_run = EXCLUDED.last_run`,
          [repository, env, at],
        );
      }
    },
    /**
     * Runs `fn` while no other run (another app instance, a job sent by hand) runs: they take turns, and the
     * later one sees the last runs the earlier one saved, so a due schedule is backed up once.
     */
    async oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
      return exclusively(pool, "aether-backups", fn);
    },
  };
}

export type BackupRuns = ReturnType<typeof createBackupRuns>;

async function exclusively<T>(pool: pg.Pool, key: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]).catch(() => undefined);
    client.release();
  }
}
