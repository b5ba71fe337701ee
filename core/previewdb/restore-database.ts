import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Digest } from "../artifact/digest.ts";
import type { ArtifactStore } from "../store/store.ts";
import { encodeLabel, parseLabel } from "./database-label.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { MAX_IDENTIFIER_BYTES } from "./preview-names.ts";
import { PgToolError } from "./previewdb-errors.ts";
import { quoteIdent, quoteLiteral } from "./quote-sql.ts";
import { cryptoRandom, type RandomBytes } from "./random-source.ts";
import { runPgTool } from "./run-pg-tool.ts";

export interface RestoreRequest {
  admin: PostgresAdmin;
  /** The database to end up with the backup's content (it may or may not exist). */
  database: string;
  digest: Digest;
  store: ArtifactStore;
  /** Folder holding pg_restore. */
  binDir: string;
  tempDir: string;
  /** Role to own the restored objects (a preview's role); the dump's owners are kept when absent. */
  owner?: string;
  /** Keep the replaced database, renamed and labelled `previous` with a day to live, instead of dropping it. */
  keepPrevious?: boolean;
  random?: RandomBytes;
  now?: () => Date;
}

export interface RestoredDatabase {
  database: string;
  /** The replaced database's name when it was kept. */
  previous?: string;
  ms: number;
}

/**
 * Restores a backup into a NEW database with pg_restore, and only when that succeeded switches it in:
 * connections to the old one are closed and it is renamed away, the new one takes its name (and its label).
 * A failed restore drops the new database and leaves the existing one as it was.
 */
export async function restoreDatabase(request: RestoreRequest): Promise<RestoredDatabase> {
  const started = performance.now();
  const { admin, database } = request;
  const random = request.random ?? cryptoRandom;
  const suffix = random(4).toString("hex");
  const staging = `${database.slice(0, MAX_IDENTIFIER_BYTES - 18)}_restore_${suffix}`;
  const spool = await mkdtemp(join(request.tempDir, "aether-restore-"));
  try {
    const file = join(spool, "dump.pgcustom");
    await request.store.fetchBlob(request.digest, file);
    const owner = request.owner === undefined ? "" : ` OWNER ${quoteIdent(request.owner)}`;
    await admin.query(`CREATE DATABASE ${quoteIdent(staging)}${owner} TEMPLATE template0`);
    const roleArgs = request.owner === undefined ? [] : ["--no-owner", `--role=${request.owner}`];
    const result = await runPgTool({
      program: join(request.binDir, "pg_restore"),
      args: ["--exit-on-error", "-d", staging, ...roleArgs, file],
      connection: admin.connection,
    }).catch(async (error: unknown) => {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(staging)} WITH (FORCE)`);
      throw error;
    });
    if (result.code !== 0) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(staging)} WITH (FORCE)`);
      throw new PgToolError(
        `restoring ${request.digest} failed; "${database}" on ${admin.where} was not changed.`,
        result.stderr,
      );
    }
    const previous = await switchIn(request, staging, suffix);
    return { database, ...(previous === undefined ? {} : { previous }), ms: performance.now() - started };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

async function switchIn(
  request: RestoreRequest,
  staging: string,
  suffix: string,
): Promise<string | undefined> {
  const { admin, database } = request;
  const target = quoteIdent(database);
  return admin.withSession(async (session) => {
    const rows = await session.query(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [database],
    );
    const comment = typeof rows[0]?.["comment"] === "string" ? rows[0]["comment"] : null;
    if (request.owner !== undefined) {
      await session.query(`REVOKE ALL ON DATABASE ${quoteIdent(staging)} FROM PUBLIC`);
      await session.query(
        `GRANT CONNECT, TEMPORARY ON DATABASE ${quoteIdent(staging)} TO ${quoteIdent(request.owner)}`,
      );
    }
    if (comment !== null)
      await session.query(`COMMENT ON DATABASE ${quoteIdent(staging)} IS ${quoteLiteral(comment)}`);
    let previous: string | undefined;
    if (rows.length > 0) {
      previous = `${database.slice(0, MAX_IDENTIFIER_BYTES - 19)}_previous_${suffix}`;
      // No new sessions, then end the current ones, so the rename cannot find the database in use.
      await session.query(`ALTER DATABASE ${target} WITH ALLOW_CONNECTIONS false`);
      await session.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
        database,
      ]);
      await session.query(`ALTER DATABASE ${target} RENAME TO ${quoteIdent(previous)}`);
    }
    await session.query(`ALTER DATABASE ${quoteIdent(staging)} RENAME TO ${target}`);
    if (previous === undefined) return undefined;
    if (!request.keepPrevious) {
      await session.query(`DROP DATABASE ${quoteIdent(previous)} WITH (FORCE)`);
      return undefined;
    }
    const label = parseLabel(comment);
    const expiresAt = new Date((request.now ?? (() => new Date()))().getTime() + 86_400_000).toISOString();
    if (label) {
      const kept = encodeLabel({ ...label, kind: "previous", expiresAt });
      await session.query(`COMMENT ON DATABASE ${quoteIdent(previous)} IS ${quoteLiteral(kept)}`);
    }
    await session.query(`ALTER DATABASE ${quoteIdent(previous)} WITH ALLOW_CONNECTIONS true`);
    return previous;
  });
}
