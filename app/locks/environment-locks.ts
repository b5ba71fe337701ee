import type pg from "pg";
import type { EnvironmentLock } from "../../core/policy/authorize-deploy.ts";

export type LockResult = { ok: true; lock: EnvironmentLock } | { ok: false; heldBy: EnvironmentLock };
export type UnlockResult = { ok: true } | { ok: false; reason: "not-locked" };

/** Environment locks kept in PostgreSQL: one per (repository, environment), with owner, reason and expiry. */
export interface EnvironmentLocks {
  /** The lock in force, if any (an expired one is removed and not returned). */
  get(request: { repository: string; env: string }): Promise<EnvironmentLock | undefined>;
  /** Takes the lock, or says who holds it; the holder taking it again updates reason and expiry. */
  lock(request: {
    repository: string;
    env: string;
    owner: string;
    reason?: string;
    expiresAt?: number;
  }): Promise<LockResult>;
  /** Releases the lock, whoever holds it (permission to deploy is checked by the caller). */
  unlock(request: { repository: string; env: string }): Promise<UnlockResult>;
}

/** Locks on the app's database. `now` decides expiry, so tests need not wait. */
export function createEnvironmentLocks(pool: pg.Pool, now: () => number = Date.now): EnvironmentLocks {
  const current = async (repository: string, env: string): Promise<EnvironmentLock | undefined> => {
    await pool.query("DELETE FROM aether_locks WHERE repository = $1 AND env = $2 AND expires_at <= $3", [
      repository,
      env,
      new Date(now()),
    ]);
    const { rows } = await pool.query<{ owner: string; reason: string | null; expires_at: Date | null }>(
      "SELECT owner, reason, expires_at FROM aether_locks WHERE repository = $1 AND env = $2",
      [repository, env],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      env,
      owner: row.owner,
      ...(row.reason === null ? {} : { reason: row.reason }),
      ...(row.expires_at === null ? {} : { expiresAt: row.expires_at.getTime() }),
    };
  };
  return {
    get: (request) => current(request.repository, request.env),
    async lock(request) {
      const held = await current(request.repository, request.env);
      if (held && held.owner.toLowerCase() !== request.owner.toLowerCase())
        return { ok: false, heldBy: held };
      const expires = request.expiresAt === undefined ? null : new Date(request.expiresAt);
      const { rowCount } = await pool.query(
        `INSERT INTO aether_locks (repository, env, owner, reason, expires_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (repository, env) DO UPDATE SET reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at
         WHERE lower(aether_locks.owner) = lower(EXCLUDED.owner)`,
        [request.repository, request.env, request.owner, request.reason ?? null, expires],
      );
      if (rowCount === 0) {
        const other = await current(request.repository, request.env);
        if (other) return { ok: false, heldBy: other };
      }
      return {
        ok: true,
        lock: {
          env: request.env,
          owner: request.owner,
          ...(request.reason === undefined ? {} : { reason: request.reason }),
          ...(request.expiresAt === undefined ? {} : { expiresAt: request.expiresAt }),
        },
      };
    },
    async unlock(request) {
      const { rowCount } = await pool.query("DELETE FROM aether_locks WHERE repository = $1 AND env = $2", [
        request.repository,
        request.env,
      ]);
      return rowCount === 0 ? { ok: false, reason: "not-locked" } : { ok: true };
    },
  };
}
