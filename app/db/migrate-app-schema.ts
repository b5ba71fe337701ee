import type pg from "pg";

/** The app's own tables beside pg-boss's: deploy requests (what runs where, for the API too) and locks. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS aether_deploy_requests (
  id uuid PRIMARY KEY,
  seq bigserial UNIQUE,
  dedupe_key text UNIQUE NOT NULL,
  repository text NOT NULL,
  installation_id bigint NOT NULL,
  app text NOT NULL,
  env text NOT NULL,
  kind text NOT NULL,
  task text NOT NULL,
  sha text NOT NULL,
  digest text,
  pr_number integer,
  requested_by text NOT NULL,
  source text NOT NULL,
  command_comment_id bigint,
  verify_head boolean NOT NULL DEFAULT false,
  state text NOT NULL,
  url text,
  message text,
  deployment_id bigint,
  check_run_id bigint,
  worker text,
  lease_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS aether_deploy_requests_target ON aether_deploy_requests (repository, app, env, seq);
CREATE INDEX IF NOT EXISTS aether_deploy_requests_sha ON aether_deploy_requests (repository, sha) WHERE state = 'waiting-artifact';
CREATE TABLE IF NOT EXISTS aether_locks (
  repository text NOT NULL,
  env text NOT NULL,
  owner text NOT NULL,
  reason text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (repository, env)
);
`;

/** Creates the app's tables if missing; several app instances starting at once take turns. */
export async function migrateAppSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('aether-app-schema'))");
    await client.query(SCHEMA);
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('aether-app-schema'))").catch(() => undefined);
    client.release();
  }
}
