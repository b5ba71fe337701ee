import { existsSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { UnknownDatabaseError } from "./backup-database.ts";
import { ensureTemplate } from "./ensure-template.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { provisionDatabase } from "./provision-database.ts";
import { replayableSql, schemaSnapshotSource } from "./schema-snapshot.ts";

// pg_dump must not be older than the server: run the PostgreSQL 15 server that ships with these tools.
const PG15 = "/usr/lib/postgresql/15/bin";
const DAY = 24 * 60 * 60 * 1000;
const repository = "octo/snapshot";
let server: PostgresTestServer;
let admin: PostgresAdmin;

beforeAll(async () => {
  if (!existsSync(join(PG15, "pg_dump")))
    throw new Error(`${PG15}/pg_dump is missing: install postgresql-15`);
  server = await startPostgresServer({ binDir: PG15 });
  admin = adminFor(server);
  await admin.query("CREATE DATABASE production");
  await admin.withDatabase("production", async (s) => {
    await s.query("CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE)");
    await s.query(
      "CREATE TABLE orders (id serial PRIMARY KEY, customer int REFERENCES customers, total numeric)",
    );
    await s.query("CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100");
    await s.query(
      "INSERT INTO customers (email) SELECT 'c' || g || '@x.test' FROM generate_series(1, 300) g",
    );
  });
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

async function inPreview<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe("schemaSnapshotSource", () => {
  it("gives previews production's schema without its rows, and a new template only when the schema changes", async () => {
    const source = await schemaSnapshotSource({ admin, database: "production", binDir: PG15 });
    const first = await ensureTemplate({ admin, repository, source });
    expect(first.built).toBe(true);
    const preview = await provisionDatabase({
      admin,
      repository,
      env: "pr-1",
      template: first.template,
      ttlMs: DAY,
    });
    const seen = await inPreview(preview.databaseUrl, async (c) => {
      await c.query("INSERT INTO customers (email) VALUES ('me@x.test')");
      await c.query("INSERT INTO orders (customer, total) VALUES (1, 500)");
      const customers = (await c.query<{ n: string }>("SELECT count(*)::text AS n FROM customers")).rows[0]
        ?.n;
      const big = (await c.query<{ n: string }>("SELECT count(*)::text AS n FROM big_orders")).rows[0]?.n;
      return { customers, big };
    });
    expect(seen).toEqual({ customers: "1", big: "1" });

    const again = await ensureTemplate({
      admin,
      repository,
      source: await schemaSnapshotSource({ admin, database: "production", binDir: PG15 }),
    });
    expect(again).toMatchObject({ template: first.template, built: false });

    await admin.withDatabase("production", (s) => s.query("ALTER TABLE customers ADD COLUMN name text"));
    const changed = await ensureTemplate({
      admin,
      repository,
      source: await schemaSnapshotSource({ admin, database: "production", binDir: PG15 }),
    });
    expect(changed.built).toBe(true);
    expect(changed.template).not.toBe(first.template);
  });

  it("names a database that is not there", async () => {
    await expect(schemaSnapshotSource({ admin, database: "nope", binDir: PG15 })).rejects.toBeInstanceOf(
      UnknownDatabaseError,
    );
  });

  it("drops psql meta-commands, whose random keys would rename the template on every dump", () => {
    const dump = "\\restrict abc123\nCREATE TABLE t (id int);\n\\unrestrict abc123\n";
    expect(replayableSql(dump)).toBe("CREATE TABLE t (id int);\n");
  });
});
