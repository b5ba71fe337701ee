import pg from "pg";
import { translatePgError } from "./previewdb-errors.ts";

/** How to reach a PostgreSQL server as its administrator (a superuser, or a role with CREATEDB CREATEROLE). */
export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The database the admin connects to for DDL; `postgres` when absent. */
  database?: string;
}

export type SqlRow = Record<string, unknown>;

/** One connection: statements run in order on the same session (advisory locks, SET ROLE). */
export interface SqlSession {
  query(text: string, values?: unknown[]): Promise<SqlRow[]>;
}

/** An administered server: a pool for the maintenance database, and sessions on any database. */
export interface PostgresAdmin extends SqlSession {
  readonly connection: PostgresConnection;
  /** `host:port`, for messages. */
  readonly where: string;
  /** Runs `fn` on one pooled connection to the admin database. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `fn` on a fresh connection to `database` (for work inside a preview or template database). */
  withDatabase<T>(database: string, fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens an admin pool (nothing connects until the first query). Errors come out as
 * `DatabaseUnreachableError` / `AdminPermissionError` naming host and port, never the password.
 * @example const admin = createPostgresAdmin({ host: "127.0.0.1", port: 5432, user: "postgres", password });
 */
export function createPostgresAdmin(
  connection: PostgresConnection,
  options: { maxConnections?: number } = {},
): PostgresAdmin {
  const where = `${connection.host}:${connection.port}`;
  const base = {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
  };
  const pool = new pg.Pool({
    ...base,
    database: connection.database ?? "postgres",
    max: options.maxConnections ?? 10,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translatePgError(error, where);
    }
  };
  const sessionOf = (client: pg.ClientBase): SqlSession => ({
    query: (text, values) => wrap(async () => (await client.query<SqlRow>(text, values)).rows),
  });
  return {
    connection,
    where,
    query: (text, values) => wrap(async () => (await pool.query<SqlRow>(text, values)).rows),
    async withSession(fn) {
      const client = await wrap(() => pool.connect());
      try {
        return await fn(sessionOf(client));
      } finally {
        client.release();
      }
    },
    async withDatabase(database, fn) {
      const client = new pg.Client({ ...base, database });
      client.on("error", () => undefined);
      await wrap(() => client.connect());
      try {
        return await fn(sessionOf(client));
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    close: () => pool.end(),
  };
}
