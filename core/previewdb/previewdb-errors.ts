/** The PostgreSQL (or Redis, MongoDB) server could not be reached at all. */
export class DatabaseUnreachableError extends Error {
  readonly where: string;
  constructor(where: string, detail: string, options?: { cause?: unknown }) {
    super(
      `cannot reach the database server at ${where} (${detail}). Check that it is running and that ` +
        `host and port in the admin connection are right; nothing was changed.`,
      options,
    );
    this.name = "DatabaseUnreachableError";
    this.where = where;
  }
}

/** The admin credentials were refused, or the admin role lacks a privilege an operation needs. */
export class AdminPermissionError extends Error {
  readonly where: string;
  constructor(where: string, detail: string, options?: { cause?: unknown }) {
    super(
      `the admin connection to ${where} was refused or lacks a privilege (${detail}). Use a role with ` +
        `CREATEDB and CREATEROLE (a superuser for templates); nothing was changed.`,
      options,
    );
    this.name = "AdminPermissionError";
    this.where = where;
  }
}

/** No database exists for the environment (backup, restore or reset of something never provisioned). */
export class UnknownEnvironmentError extends Error {
  constructor(repository: string, env: string, where: string) {
    super(
      `${where}: no preview database for environment "${env}" of ${repository}. ` +
        `Run "aether db list" to see the environments that have one, or "aether db create ${env}".`,
    );
    this.name = "UnknownEnvironmentError";
  }
}

/** Cloning a template kept failing because something is connected to it. */
export class TemplateBusyError extends Error {
  constructor(template: string, where: string) {
    super(
      `${where}: template database "${template}" is being accessed by other sessions, so it cannot be ` +
        `cloned. Close connections to it (templates should have ALLOW_CONNECTIONS false) and retry.`,
    );
    this.name = "TemplateBusyError";
  }
}

/** A pg_dump or pg_restore run failed; `output` is the tool's redacted last lines. */
export class PgToolError extends Error {
  readonly output: string;
  constructor(message: string, output: string) {
    super(`${message}\n${output}`);
    this.name = "PgToolError";
    this.output = output;
  }
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
}

/**
 * Turns what pg throws into our named errors, by SQLSTATE and socket error code. Messages keep pg's own text
 * (which never holds the statement, hence never a password) and add where the server is.
 */
export function translatePgError(error: unknown, where: string): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { code, message }: ErrorShape = error;
  const detail = typeof message === "string" && message !== "" ? message : String(code);
  if (typeof code !== "string") return error;
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(code)) {
    return new DatabaseUnreachableError(where, detail, { cause: error });
  }
  // 28000 invalid authorization, 28P01 wrong password, 42501 insufficient privilege.
  if (code === "28000" || code === "28P01" || code === "42501") {
    return new AdminPermissionError(where, detail, { cause: error });
  }
  return error;
}
