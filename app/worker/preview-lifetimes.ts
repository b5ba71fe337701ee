import type pg from "pg";

/** A preview whose newest request is a deploy (not torn down): what the time-to-live sweeper looks at. */
export interface LivePreview {
  repository: string;
  env: string;
  installationId: number;
  prNumber: number;
  /** The commit of the newest deploy request: its config gives the time to live. */
  sha: string;
  /** The apps deployed there since the last teardown. */
  apps: string[];
  /** When the newest deploy request was made (a push, a `/deploy`): the time to live counts from it. */
  lastDeployAt: Date;
  /** Set by `/preview extend`. */
  extendedUntil: Date | undefined;
  /** The newest request's sequence number: one expiry per life of a preview. */
  lastSeq: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS aether_preview_extensions (
  repository text NOT NULL,
  env text NOT NULL,
  extended_until timestamptz NOT NULL,
  PRIMARY KEY (repository, env)
);`;

const LIVE = `
WITH latest AS (
  SELECT DISTINCT ON (repository, env) repository, env, installation_id, pr_number, sha, task, seq, created_at
  FROM aether_deploy_requests
  WHERE kind = 'preview' AND task IN ('deploy', 'teardown') AND pr_number IS NOT NULL
  ORDER BY repository, env, seq DESC
)
SELECT l.repository, l.env, l.installation_id, l.pr_number, l.sha, l.seq, l.created_at, e.extended_until,
  (SELECT array_agg(DISTINCT r.app ORDER BY r.app) FROM aether_deploy_requests r
    WHERE r.repository = l.repository AND r.env = l.env AND r.kind = 'preview' AND r.task = 'deploy'
      AND r.seq > coalesce((SELECT max(t.seq) FROM aether_deploy_requests t
        WHERE t.repository = l.repository AND t.env = l.env AND t.task = 'teardown'), 0)) AS apps
FROM latest l LEFT JOIN aether_preview_extensions e USING (repository, env)
WHERE l.task = 'deploy'`;

/** When a preview expires: its time to live after the newest deploy, or the extension when that is later. */
export function previewExpiresAt(preview: LivePreview, ttlMs: number): Date {
  const byDeploy = preview.lastDeployAt.getTime() + ttlMs;
  return new Date(Math.max(byDeploy, preview.extendedUntil?.getTime() ?? 0));
}

/** An expiry as the sticky comment and the replies show it: `2030-01-01 01:00 UTC`. */
export function formatExpiry(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * The life of preview environments, read from the deploy requests (a preview lives from its newest deploy
 * request until a teardown request) plus the extensions `/preview extend` records.
 */
export function createPreviewLifetimes(pool: pg.Pool) {
  let ready: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> =>
    (ready ??= (async () => {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock(hashtext('aether-preview-extensions'))");
        await client.query(SCHEMA);
      } finally {
        await client
          .query("SELECT pg_advisory_unlock(hashtext('aether-preview-extensions'))")
          .catch(() => undefined);
        client.release();
      }
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
  const live = async (only?: { repository: string; env: string }): Promise<LivePreview[]> => {
    await ensureSchema();
    const filter = only ? " AND l.repository = $1 AND l.env = $2" : "";
    const { rows } = await pool.query(LIVE + filter, only ? [only.repository, only.env] : []);
    return rows.map(toLivePreview);
  };
  return {
    live,
    /** The preview of one pull request when it is up (its newest request is a deploy). */
    async find(request: { repository: string; env: string }): Promise<LivePreview | undefined> {
      return (await live(request))[0];
    },
    /** Keeps the preview until `until` at least (a later push may keep it longer). */
    async extend(request: { repository: string; env: string; until: Date }): Promise<void> {
      await ensureSchema();
      await pool.query(
        `INSERT INTO aether_preview_extensions (repository, env, extended_until) VALUES ($1, $2, $3)
         ON CONFLICT (repository, env) DO UPDATE SET extended_until = EXCLUDED.extended_until`,
        [request.repository, request.env, request.until],
      );
    },
  };
}

export type PreviewLifetimes = ReturnType<typeof createPreviewLifetimes>;

// Rows of our own query: the casts are the parsing boundary.
function toLivePreview(row: Record<string, unknown>): LivePreview {
  const extended = row["extended_until"];
  return {
    repository: String(row["repository"]),
    env: String(row["env"]),
    installationId: Number(row["installation_id"]),
    prNumber: Number(row["pr_number"]),
    sha: String(row["sha"]),
    apps: Array.isArray(row["apps"]) ? row["apps"].map(String) : [],
    lastDeployAt: row["created_at"] as Date,
    extendedUntil: extended instanceof Date ? extended : undefined,
    lastSeq: String(row["seq"]),
  };
}
