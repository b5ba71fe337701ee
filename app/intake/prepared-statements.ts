import { createHash } from "node:crypto";
import type pg from "pg";

/** What pg-boss's per-call `db` option takes: one statement, its rows back. */
export interface StatementRunner {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Runs pg-boss's statements as named prepared statements on `pool`. pg-boss sends its job insert (a 3 kB
 * CTE) as an unnamed statement, which PostgreSQL parses and plans on every delivery; prepared once per
 * connection, a delivery costs the database about half the CPU, and on a small machine that CPU is what
 * the intake's slowest answers wait for. A statement is named after a hash of its text, so one name never
 * means two statements on a connection (pg refuses that), however many runners share the pool.
 */
export function preparedStatements(pool: pg.Pool): StatementRunner {
  const names = new Map<string, string>();
  return {
    executeSql(text, values = []) {
      let name = names.get(text);
      if (name === undefined) {
        name = `aether_${createHash("sha256").update(text).digest("hex").slice(0, 40)}`;
        names.set(text, name);
      }
      return pool.query({ name, text, values });
    },
  };
}
