import { randomUUID } from "node:crypto";
import type pg from "pg";
import { createHeldRequests } from "./held-requests.ts";
import { createPreviewLifetimes } from "./preview-lifetimes.ts";

export type RequestState =
  | "queued"
  | "waiting-artifact"
  | "waiting-approval"
  | "waiting-timer"
  | "in_progress"
  | "success"
  | "failure"
  | "superseded"
  | "refused";

/** One deploy (or rollback) asked for by an event, a command or the API: the unit the worker runs. */
export interface DeployRequest {
  id: string;
  repository: string;
  installationId: number;
  app: string;
  env: string;
  /** production: the default branch's; preview: a pull request's; named: any other environment. */
  kind: "production" | "preview" | "named";
  task: "deploy" | "rollback" | "teardown";
  sha: string;
  /** Given by the API; otherwise read from the store's ref index when the build is there. */
  digest: string | null;
  prNumber: number | null;
  requestedBy: string;
  source: "push" | "pull_request" | "comment" | "check_run" | "api" | "expiry";
  commandCommentId: number | null;
  /** A `/deploy` pinned the PR's head: check it again right before rollout. */
  verifyHead: boolean;
  state: RequestState;
  url: string | null;
  message: string | null;
  deploymentId: number | null;
  checkRunId: number | null;
  attempts: number;
  /** The branch of this repository the commit is deployed from (null: unknown, or a fork's branch). */
  ref: string | null;
  /** The required reviewer who approved it (GitHub environment protection). */
  approvedBy: string | null;
  /** The environment's wait timer: the rollout starts no earlier than this (ms since the epoch). */
  notBefore: number | null;
}

export type NewDeployRequest = Omit<
  DeployRequest,
  | "id"
  | "state"
  | "url"
  | "message"
  | "deploymentId"
  | "checkRunId"
  | "attempts"
  | "ref"
  | "approvedBy"
  | "notBefore"
> & { dedupeKey: string; ref?: string | null };

export type ClaimResult =
  | { kind: "claimed"; request: DeployRequest; resumed: boolean }
  | { kind: "busy" }
  | { kind: "superseded"; request: DeployRequest }
  | { kind: "settled"; request: DeployRequest | undefined };

const COLUMNS = `id, repository, installation_id, app, env, kind, task, sha, digest, pr_number, requested_by, source,
  command_comment_id, verify_head, state, url, message, deployment_id, check_run_id, attempts, ref, approved_by,
  not_before`;

/** The deploy requests table: insert once per dedupe key, claim one per (repository, app, env) at a time. */
export function createDeployRecords(pool: pg.Pool) {
  const get = async (id: string): Promise<DeployRequest | undefined> => {
    const { rows } = await pool.query(`SELECT ${COLUMNS} FROM aether_deploy_requests WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : toRequest(rows[0]);
  };
  return {
    get,
    /** Previews that are up, and their extensions (`/preview extend`, the time-to-live sweeper). */
    lifetimes: createPreviewLifetimes(pool),
    /** Requests held by GitHub environment protection: approvals, and replacement by newer ones. */
    held: createHeldRequests(pool),
    /** Inserts a request unless one with the same dedupe key exists (a redelivered event): then returns that. */
    async insert(request: NewDeployRequest): Promise<{ request: DeployRequest; inserted: boolean }> {
      const id = randomUUID();
      const { rows } = await pool.query(
        `INSERT INTO aether_deploy_requests (id, dedupe_key, repository, installation_id, app, env, kind, task, sha,
           digest, pr_number, requested_by, source, command_comment_id, verify_head, ref, state)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,'queued')
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          id,
          request.dedupeKey,
          request.repository,
          request.installationId,
          request.app,
          request.env,
          request.kind,
          request.task,
          request.sha,
          request.digest,
          request.prNumber,
          request.requestedBy,
          request.source,
          request.commandCommentId,
          request.verifyHead,
          request.ref ?? null,
        ],
      );
      if (rows.length > 0) return { request: (await get(id))!, inserted: true };
      const existing = await pool.query(`SELECT id FROM aether_deploy_requests WHERE dedupe_key = $1`, [
        request.dedupeKey,
      ]);
      return { request: (await get(String(existing.rows[0].id)))!, inserted: false };
    },
    /**
     * Takes a request for this worker: refused while another request of the same (repository, app, env)
     * runs under a live lease (`busy`), superseded when a newer request for it exists, `settled` when it is
     * finished or another worker holds it. A request whose worker's lease ran out is taken over (`resumed`).
     */
    async claim(id: string, worker: string, leaseMs: number): Promise<ClaimResult> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const head = await client.query(
          `SELECT ${COLUMNS}, seq, lease_until < clock_timestamp() AS lapsed
          FROM aether_deploy_requests WHERE id = $1`,
          [id],
        );
        const row = head.rows[0];
        if (row === undefined) {
          await client.query("ROLLBACK");
          return { kind: "settled", request: undefined };
        }
        const key = `${row.repository}\n${row.app}\n${row.env}`;
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [key]);
        const fresh = await client.query(
          `SELECT ${COLUMNS}, seq, lease_until < clock_timestamp() AS lapsed
          FROM aether_deploy_requests WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const current = fresh.rows[0];
        const request = toRequest(current);
        const resumable =
          request.state === "in_progress" && (current.lapsed === true || current.worker === worker);
        const waiting = ["queued", "waiting-artifact", "waiting-timer"].includes(request.state);
        if (!(waiting || resumable)) {
          await client.query("ROLLBACK");
          return { kind: "settled", request };
        }
        const newer = await client.query(
          `SELECT 1 FROM aether_deploy_requests WHERE repository = $1 AND app = $2 AND env = $3 AND seq > $4
             AND state NOT IN ('superseded', 'refused') LIMIT 1`,
          [row.repository, row.app, row.env, current.seq],
        );
        if (newer.rows.length > 0 && request.state !== "in_progress") {
          await client.query(
            `UPDATE aether_deploy_requests SET state = 'superseded', message = 'a newer request for this environment replaced it',
               updated_at = clock_timestamp() WHERE id = $1`,
            [id],
          );
          await client.query("COMMIT");
          return { kind: "superseded", request: { ...request, state: "superseded" } };
        }
        const running = await client.query(
          `SELECT 1 FROM aether_deploy_requests WHERE repository = $1 AND app = $2 AND env = $3 AND id <> $4
             AND state = 'in_progress' AND lease_until > clock_timestamp() LIMIT 1`,
          [row.repository, row.app, row.env, id],
        );
        if (running.rows.length > 0) {
          await client.query("ROLLBACK");
          return { kind: "busy" };
        }
        await client.query(
          `UPDATE aether_deploy_requests SET state = 'in_progress', worker = $2, attempts = attempts + 1,
             lease_until = clock_timestamp() + $3 * interval '1 millisecond', updated_at = clock_timestamp() WHERE id = $1`,
          [id, worker, leaseMs],
        );
        await client.query("COMMIT");
        return {
          kind: "claimed",
          request: { ...request, state: "in_progress" },
          resumed: request.state === "in_progress",
        };
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    /** Gives up this worker's lease at once (its run failed), so a retry may resume the request. */
    async releaseLease(id: string, worker: string): Promise<void> {
      await pool.query(
        `UPDATE aether_deploy_requests SET lease_until = clock_timestamp() WHERE id = $1 AND worker = $2 AND state = 'in_progress'`,
        [id, worker],
      );
    },
    async renewLease(id: string, worker: string, leaseMs: number): Promise<void> {
      await pool.query(
        `UPDATE aether_deploy_requests SET lease_until = clock_timestamp() + $3 * interval '1 millisecond'
          WHERE id = $1 AND worker = $2 AND state = 'in_progress'`,
        [id, worker, leaseMs],
      );
    },
    async update(
      id: string,
      fields: Partial<
        Pick<
          DeployRequest,
          "state" | "url" | "message" | "digest" | "deploymentId" | "checkRunId" | "approvedBy" | "notBefore"
        >
      >,
    ): Promise<void> {
      const names: Record<string, string> = {
        state: "state",
        url: "url",
        message: "message",
        digest: "digest",
        deploymentId: "deployment_id",
        checkRunId: "check_run_id",
        approvedBy: "approved_by",
        notBefore: "not_before",
      };
      const entries = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, unknown] => [k, k === "notBefore" && v !== null ? new Date(Number(v)) : v]);
      if (entries.length === 0) return;
      const sets = entries.map(([k], i) => `${names[k]} = $${i + 2}`);
      const release =
        fields.state !== undefined && fields.state !== "in_progress" ? ", lease_until = NULL" : "";
      await pool.query(
        `UPDATE aether_deploy_requests SET ${sets.join(", ")}${release}, updated_at = clock_timestamp() WHERE id = $1`,
        [id, ...entries.map(([, v]) => v)],
      );
    },
    /** Requests waiting for the build of `sha` in `repository`, now to be run again. */
    async wakeWaiting(repository: string, sha: string): Promise<string[]> {
      const { rows } = await pool.query<{ id: string }>(
        `UPDATE aether_deploy_requests SET state = 'queued', updated_at = clock_timestamp()
          WHERE repository = $1 AND sha = $2 AND state = 'waiting-artifact' RETURNING id`,
        [repository, sha],
      );
      return rows.map((r) => r.id);
    },
    /** Requests whose worker stopped mid-deploy (lease ran out): to be resumed. */
    async lapsed(): Promise<string[]> {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM aether_deploy_requests WHERE state = 'in_progress' AND lease_until < clock_timestamp()`,
      );
      return rows.map((r) => r.id);
    },
  };
}

export type DeployRecords = ReturnType<typeof createDeployRecords>;

function toRequest(row: Record<string, unknown>): DeployRequest {
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    id: String(row["id"]),
    repository: String(row["repository"]),
    installationId: Number(row["installation_id"]),
    app: String(row["app"]),
    env: String(row["env"]),
    kind: row["kind"] as DeployRequest["kind"],
    task: row["task"] as DeployRequest["task"],
    sha: String(row["sha"]),
    digest: str(row["digest"]),
    prNumber: num(row["pr_number"]),
    requestedBy: String(row["requested_by"]),
    source: row["source"] as DeployRequest["source"],
    commandCommentId: num(row["command_comment_id"]),
    verifyHead: row["verify_head"] === true,
    state: row["state"] as RequestState,
    url: str(row["url"]),
    message: str(row["message"]),
    deploymentId: num(row["deployment_id"]),
    checkRunId: num(row["check_run_id"]),
    attempts: Number(row["attempts"]),
    ref: str(row["ref"]),
    approvedBy: str(row["approved_by"]),
    notBefore: row["not_before"] instanceof Date ? row["not_before"].getTime() : null,
  };
}
