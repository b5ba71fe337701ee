import type pg from "pg";

/**
 * The app's own tables beside pg-boss's: deploy requests (what runs where, for the API too), locks, and what
 * the webhook redelivery scan remembers (app/intake/redelivery-records.ts).
 */
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
-- GitHub environment protection: the branch deployed from, who approved, when a wait timer lets it start.
ALTER TABLE aether_deploy_requests ADD COLUMN IF NOT EXISTS ref text;
ALTER TABLE aether_deploy_requests ADD COLUMN IF NOT EXISTS approved_by text;
ALTER TABLE aether_deploy_requests ADD COLUMN IF NOT EXISTS not_before timestamptz;
CREATE TABLE IF NOT EXISTS aether_locks (
  repository text NOT NULL,
  env text NOT NULL,
  owner text NOT NULL,
  reason text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (repository, env)
);
CREATE TABLE IF NOT EXISTS aether_redelivery_scan (
  id text PRIMARY KEY,
  newest_delivered_at timestamptz NOT NULL,
  scanned_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE IF NOT EXISTS aether_redelivery_asks (
  guid text PRIMARY KEY,
  event text NOT NULL,
  asks integer NOT NULL,
  last_attempt_id bigint NOT NULL,
  last_asked_at timestamptz NOT NULL DEFAULT clock_timestamp()
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
