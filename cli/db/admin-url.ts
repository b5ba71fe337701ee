import type { PostgresConnection } from "../../core/previewdb/postgres-admin.ts";
import { UsageError } from "../usage-error.ts";

/**
 * Reads an admin URL (`postgres://admin@db.internal:5432/postgres`). The password comes from the URL when
 * it has one, else from PGPASSWORD (better: argv is visible to `ps`); port 5432 and database `postgres` by
 * default, as libpq does.
 * @example parseAdminUrl("postgres://admin@db:5433", { PGPASSWORD: "…" }) // { host: "db", port: 5433, … }
 */
export function parseAdminUrl(text: string, env: Record<string, string | undefined>): PostgresConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `aether db: the server "${redactUrl(text)}" is not a URL like postgres://admin@host:5432/postgres`,
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new UsageError(`aether db: the server URL must start with postgres:// (got ${url.protocol}//)`);
  if (url.hostname === "") throw new UsageError("aether db: the server URL has no host");
  const port = url.port === "" ? 5432 : Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port,
    user: url.username === "" ? "postgres" : decodeURIComponent(url.username),
    password: url.password !== "" ? decodeURIComponent(url.password) : (env["PGPASSWORD"] ?? ""),
    database: database === "" ? "postgres" : database,
  };
}

/** A URL with its password replaced, for messages. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, "$1***@");
}
