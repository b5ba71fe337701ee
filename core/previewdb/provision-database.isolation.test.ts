import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { findOpenDatabases } from "./list-databases.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { provisionDatabase, type ProvisionedDatabase } from "./provision-database.ts";

const DAY = 86_400_000;
let server: PostgresTestServer;
let admin: PostgresAdmin;
let a: ProvisionedDatabase;
let b: ProvisionedDatabase;
const seen: string[] = [];

beforeAll(async () => {
  // Every statement logged, so the test can show the plaintext password never reached the server.
  server = await startPostgresServer({ settings: { log_statement: "all", log_connections: "on" } });
  admin = adminFor(server);
  await admin.query("CREATE DATABASE production");
  await admin.withDatabase("production", (s) =>
    s.query("CREATE TABLE secrets AS SELECT 'crown jewels' AS v"),
  );
  a = await provisionDatabase({ admin, repository: "octo/shop", env: "pr-1", ttlMs: DAY });
  b = await provisionDatabase({ admin, repository: "octo/shop", env: "pr-2", ttlMs: DAY });
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

/** Runs `fn` as A's role on `database`, recording any error text for the leak check. */
async function asA<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(a.databaseUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.href });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } catch (error) {
    seen.push(String(error), error instanceof Error ? (error.stack ?? "") : "");
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe("isolation of a preview's role", () => {
  it("cannot connect to another preview's database", async () => {
    await expect(asA(b.database, (c) => c.query("SELECT 1"))).rejects.toThrow(
      /permission denied for database/,
    );
  });

  it("reads nothing in production, and cannot connect once the operator closed PUBLIC's CONNECT", async () => {
    // PostgreSQL's default grants CONNECT on every database to PUBLIC; findOpenDatabases reports them.
    expect(await findOpenDatabases(admin)).toEqual(["postgres", "production", "template1"]);
    await expect(asA("production", (c) => c.query("SELECT * FROM secrets"))).rejects.toThrow(
      /permission denied for table/,
    );
    await admin.query("REVOKE CONNECT ON DATABASE production FROM PUBLIC");
    await admin.query("REVOKE CONNECT ON DATABASE postgres FROM PUBLIC");
    await admin.query("REVOKE CONNECT ON DATABASE template1 FROM PUBLIC");
    expect(await findOpenDatabases(admin)).toEqual([]);
    await expect(asA("production", (c) => c.query("SELECT 1"))).rejects.toThrow(
      /permission denied for database/,
    );
    await expect(asA("postgres", (c) => c.query("SELECT 1"))).rejects.toThrow(
      /permission denied for database/,
    );
  });

  it("cannot create roles or databases, or raise its own privileges", async () => {
    await expect(asA(a.database, (c) => c.query("CREATE ROLE sneaky"))).rejects.toThrow(/permission denied/);
    await expect(asA(a.database, (c) => c.query("CREATE DATABASE sneaky"))).rejects.toThrow(
      /permission denied/,
    );
    await expect(asA(a.database, (c) => c.query(`ALTER ROLE "${a.role}" CREATEDB`))).rejects.toThrow(
      /permission denied/,
    );
  });

  it("can use its own database", async () => {
    expect(await asA(a.database, async (c) => (await c.query("SELECT 1 AS one")).rows[0])).toEqual({
      one: 1,
    });
  });

  it("has its password in no error, nor in the server's statement log (only a SCRAM verifier is sent)", () => {
    const passwords = [a, b].map((p) => decodeURIComponent(new URL(p.databaseUrl).password));
    expect(server.log()).toContain("CREATE ROLE");
    for (const password of passwords) {
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(server.log()).not.toContain(password);
      for (const text of seen) expect(text).not.toContain(password);
    }
  });
});
