import { Writable } from "node:stream";
import { join } from "node:path";
import { dumpError } from "./backup-database.ts";
import type { TemplateSource } from "./ensure-template.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { UnknownDatabaseError } from "./backup-database.ts";
import { runPgTool } from "./run-pg-tool.ts";

/**
 * A template source made from the schema of a live database (production's, usually): `pg_dump
 * --schema-only` without owners, privileges or comments, so it replays as the template's owner role. No
 * row leaves that database. Used with `ensureTemplate`, the template is rebuilt exactly when the schema
 * changes, since the dump's text is what names it.
 */
export async function schemaSnapshotSource(request: {
  admin: Pick<PostgresAdmin, "connection" | "query" | "where">;
  database: string;
  /** Folder of a pg_dump of the server's major version or newer. */
  binDir: string;
}): Promise<TemplateSource> {
  const { admin, database } = request;
  const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (found.length === 0) throw new UnknownDatabaseError(database, admin.where);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const result = await runPgTool({
    program: join(request.binDir, "pg_dump"),
    args: ["--schema-only", "--no-owner", "--no-privileges", "--no-comments", "-d", database],
    connection: admin.connection,
    stdout: sink,
  });
  if (result.code !== 0) throw dumpError(result.stderr, database, request.binDir, admin.where);
  return {
    files: [{ name: `schema of ${database}`, sql: replayableSql(Buffer.concat(chunks).toString("utf8")) }],
  };
}

/**
 * The dump as plain SQL a session can run: without psql meta-commands (`\restrict KEY` of recent pg_dump
 * releases is one, and its random key would also give the template a new name on every dump).
 */
export function replayableSql(dump: string): string {
  return dump
    .split("\n")
    .filter((line) => !line.startsWith("\\"))
    .join("\n");
}
