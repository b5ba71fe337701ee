import type pg from "pg";

/**
 * Requests held by GitHub environment protection (`waiting-approval`): an approval that counts once, and
 * the older held requests a newer one for the same (repository, app, env) replaces.
 */
export function createHeldRequests(pool: pg.Pool) {
  return {
    /**
     * Records a reviewer's approval of a request waiting for one and marks it queued again; false when it was
     * not waiting for approval (approved already, superseded, finished), so an approval counts once.
     */
    async approve(id: string, approver: string): Promise<boolean> {
      const { rowCount } = await pool.query(
        `UPDATE aether_deploy_requests SET state = 'queued', approved_by = $2, updated_at = clock_timestamp()
          WHERE id = $1 AND state = 'waiting-approval'`,
        [id, approver],
      );
      return rowCount === 1;
    },
    /** Marks the requests waiting for approval that `request` (newer) replaces superseded; returns their ids. */
    async supersedeOlder(request: {
      id: string;
      repository: string;
      app: string;
      env: string;
    }): Promise<string[]> {
      const { rows } = await pool.query<{ id: string }>(
        `UPDATE aether_deploy_requests SET state = 'superseded', message = 'a newer request for this environment replaced it',
           updated_at = clock_timestamp()
          WHERE repository = $1 AND app = $2 AND env = $3 AND state = 'waiting-approval'
            AND seq < (SELECT seq FROM aether_deploy_requests WHERE id = $4) RETURNING id`,
        [request.repository, request.app, request.env, request.id],
      );
      return rows.map((r) => String(r.id));
    },
  };
}
