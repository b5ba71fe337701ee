import { withAdvisoryLock } from "./advisory-lock.ts";
import { encodeLabel, parseLabel } from "./database-label.ts";
import type { PostgresAdmin, SqlSession } from "./postgres-admin.ts";
import { previewNames, TEMPLATE_OWNER_ROLE } from "./preview-names.ts";
import { TemplateBusyError } from "./previewdb-errors.ts";
import { quoteIdent, quoteLiteral } from "./quote-sql.ts";
import { cryptoRandom, newPassword, type RandomBytes } from "./random-source.ts";
import { scramVerifier } from "./scram-verifier.ts";

export interface ProvisionDatabaseRequest {
  admin: PostgresAdmin;
  /** `owner/name` */
  repository: string;
  /** Environment name, such as `pr-123`. */
  env: string;
  /** Template database to clone (from `ensureTemplate`); an empty database when absent. */
  template?: string;
  /** Time to live from now; the sweeper may remove the database after it. Each provisioning extends it. */
  ttlMs: number;
  /** Connections the role may hold at once (default 20). */
  connectionLimit?: number;
  /** Drop and re-clone the database, losing its data. */
  reset?: boolean;
  random?: RandomBytes;
  now?: () => Date;
  /** Host and port the app reaches the server at, when not those of the admin connection. */
  appHost?: string;
  appPort?: number;
  /**
   * PostgreSQL 15+'s CREATE DATABASE strategy; the server's default (WAL_LOG) when absent. FILE_COPY is
   * faster for small templates but forces two checkpoints, which hurts a busy shared server.
   */
  strategy?: "WAL_LOG" | "FILE_COPY";
  /** Attempts at cloning while the template is busy (default 20, ~100 ms apart at most). */
  cloneAttempts?: number;
}

export interface ProvisionedDatabase {
  /** `postgresql://role:password@host:port/database`: a secret, to be put in a Secret and never logged. */
  databaseUrl: string;
  database: string;
  role: string;
  /** The database did not exist (or was reset) and was cloned now. */
  created: boolean;
  reset: boolean;
  expiresAt: string;
  ms: number;
}

/**
 * Gives one environment its database and role, from a template, idempotently. The role's password is
 * rotated on every call (Aether stores it nowhere but in the returned URL, which goes into the environment's
 * Secret on the same deploy); the data is kept unless `reset`. A run that stopped halfway (role made,
 * database not, or database cloned but not yet handed over) is finished by the next one: the database's
 * label comment is written last and marks it complete.
 * @example const { databaseUrl } = await provisionDatabase({ admin, repository: "octo/shop", env: "pr-7", template, ttlMs: 7 * DAY });
 */
export async function provisionDatabase(request: ProvisionDatabaseRequest): Promise<ProvisionedDatabase> {
  const started = performance.now();
  const { admin, repository, env } = request;
  const random = request.random ?? cryptoRandom;
  const { database, role } = previewNames({ repository, env });
  const now = (request.now ?? (() => new Date()))();
  const expiresAt = new Date(now.getTime() + request.ttlMs).toISOString();
  const fields = {
    aether: 1,
    kind: "preview",
    repository,
    env,
    expiresAt,
    template: request.template ?? null,
  } as const;
  const label = encodeLabel(fields);
  const password = newPassword(random);
  const limit = Math.max(1, Math.floor(request.connectionLimit ?? 20));

  const outcome = await admin.withSession((session) =>
    withAdvisoryLock(session, database, async () => {
      const roleSql =
        `${quoteIdent(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS ` +
        `CONNECTION LIMIT ${limit} PASSWORD ${quoteLiteral(scramVerifier(password, random(16)))}`;
      const roleExists =
        (await session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).length > 0;
      await session.query(`${roleExists ? "ALTER" : "CREATE"} ROLE ${roleSql}`);
      await session.query(`COMMENT ON ROLE ${quoteIdent(role)} IS ${quoteLiteral(label)}`);

      const existing = await session.query(
        "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
        [database],
      );
      let exists = existing.length > 0;
      const previous = exists ? parseLabel(stringOrNull(existing[0]?.["comment"])) : undefined;
      const complete = previous !== undefined;
      const reset = exists && request.reset === true;
      // The environment's creation time survives later provisionings and resets (aether db list shows it).
      const createdAt = previous?.createdAt ?? (exists && complete ? undefined : now.toISOString());
      if (reset) {
        await session.query(`DROP DATABASE ${quoteIdent(database)} WITH (FORCE)`);
        exists = false;
      }
      if (!exists)
        await cloneDatabase(session, {
          database,
          role,
          template: request.template,
          strategy: request.strategy,
          attempts: request.cloneAttempts ?? 20,
          where: admin.where,
        });
      if (!exists || !complete)
        await handOver(admin, session, { database, role, template: request.template });
      const databaseLabel = encodeLabel(createdAt === undefined ? fields : { ...fields, createdAt });
      await session.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(databaseLabel)}`);
      return { created: !exists, reset };
    }),
  );
  const host = request.appHost ?? admin.connection.host;
  const port = request.appPort ?? admin.connection.port;
  return {
    databaseUrl: `postgresql://${encodeURIComponent(role)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`,
    database,
    role,
    created: outcome.created,
    reset: outcome.reset,
    expiresAt,
    ms: performance.now() - started,
  };
}

async function cloneDatabase(
  session: SqlSession,
  target: {
    database: string;
    role: string;
    template: string | undefined;
    strategy: "WAL_LOG" | "FILE_COPY" | undefined;
    attempts: number;
    where: string;
  },
): Promise<void> {
  const from = target.template === undefined ? "" : ` TEMPLATE ${quoteIdent(target.template)}`;
  const strategy =
    target.strategy === undefined
      ? ""
      : ` STRATEGY ${target.strategy === "FILE_COPY" ? "FILE_COPY" : "WAL_LOG"}`;
  const sql = `CREATE DATABASE ${quoteIdent(target.database)} OWNER ${quoteIdent(target.role)}${from}${strategy}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await session.query(sql);
      return;
    } catch (error) {
      // 55006 object_in_use: "source database is being accessed by other users". Clones do not connect to
      // the template, but a template being built, or someone's psql on it, does; wait it out for a while.
      if (!isPgCode(error, "55006") || target.template === undefined) throw error;
      if (attempt >= target.attempts) throw new TemplateBusyError(target.template, target.where);
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 10 * attempt)));
    }
  }
}

/** Makes the role the only one that may connect, and the owner of everything the template put inside. */
async function handOver(
  admin: PostgresAdmin,
  session: SqlSession,
  target: { database: string; role: string; template: string | undefined },
): Promise<void> {
  const db = quoteIdent(target.database);
  await session.query(`ALTER DATABASE ${db} OWNER TO ${quoteIdent(target.role)}`);
  await session.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
  await session.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${quoteIdent(target.role)}`);
  if (target.template === undefined) return;
  const owner = await session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [TEMPLATE_OWNER_ROLE]);
  if (owner.length === 0) return;
  await admin.withDatabase(target.database, (inside) =>
    inside.query(`REASSIGN OWNED BY ${quoteIdent(TEMPLATE_OWNER_ROLE)} TO ${quoteIdent(target.role)}`),
  );
}

export function isPgCode(error: unknown, code: string): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  return error.code === code;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
