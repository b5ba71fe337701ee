import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { destroyDatabase } from "./destroy-database.ts";
import { ensureTemplate } from "./ensure-template.ts";
import { listDatabases } from "./list-databases.ts";
import { createPostgresAdmin, type PostgresAdmin } from "./postgres-admin.ts";
import { previewNames } from "./preview-names.ts";
import { findEnvironmentDatabase } from "./find-environment-database.ts";
import {
  AdminPermissionError,
  DatabaseUnreachableError,
  TemplateBusyError,
  UnknownEnvironmentError,
} from "./previewdb-errors.ts";
import { provisionDatabase } from "./provision-database.ts";
import { sweepDatabases } from "./sweep-databases.ts";

const DAY = 86_400_000;
const repository = "octo/shop";
let server: PostgresTestServer;
let admin: PostgresAdmin;
let template: string;

beforeAll(async () => {
  server = await startPostgresServer();
  admin = adminFor(server);
  const built = await ensureTemplate({
    admin,
    repository,
    source: {
      files: [
        { name: "001_items.sql", sql: "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)" },
        {
          name: "002_seed.sql",
          sql: "INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 50) g",
        },
      ],
    },
  });
  template = built.template;
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

async function asApp<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe("provisionDatabase", () => {
  it("clones the template into a database the role owns, with schema, data and write access", async () => {
    const result = await provisionDatabase({ admin, repository, env: "pr-1", template, ttlMs: DAY });
    expect(result.created).toBe(true);
    expect(result.database).toBe(previewNames({ repository, env: "pr-1" }).database);
    const count = await asApp(result.databaseUrl, async (c) => {
      await c.query("INSERT INTO items (name) VALUES ('mine')");
      await c.query("CREATE TABLE extra (id int)");
      return (await c.query<{ n: string }>("SELECT count(*)::text AS n FROM items")).rows[0]?.n;
    });
    expect(count).toBe("51");
    const role = await admin.query(
      "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = $1",
      [result.role],
    );
    expect(role[0]).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      rolconnlimit: 20,
    });
  });

  it("keeps the data on a second call, rotating the password, and drops it on reset", async () => {
    const first = await provisionDatabase({ admin, repository, env: "pr-2", template, ttlMs: DAY });
    await asApp(first.databaseUrl, (c) => c.query("INSERT INTO items (name) VALUES ('kept')"));
    const second = await provisionDatabase({ admin, repository, env: "pr-2", template, ttlMs: DAY });
    expect(second.created).toBe(false);
    expect(second.databaseUrl).not.toBe(first.databaseUrl);
    await expect(asApp(first.databaseUrl, (c) => c.query("SELECT 1"))).rejects.toThrow(
      /password authentication failed/,
    );
    expect(
      await asApp(
        second.databaseUrl,
        async (c) => (await c.query("SELECT 1 FROM items WHERE name = 'kept'")).rowCount,
      ),
    ).toBe(1);
    const third = await provisionDatabase({
      admin,
      repository,
      env: "pr-2",
      template,
      ttlMs: DAY,
      reset: true,
    });
    expect(third).toMatchObject({ created: true, reset: true });
    expect(
      await asApp(
        third.databaseUrl,
        async (c) => (await c.query("SELECT 1 FROM items WHERE name = 'kept'")).rowCount,
      ),
    ).toBe(0);
  });

  it("labels the database with its creation time, kept by later calls and resets", async () => {
    const env = "created-at";
    const at = (iso: string) => () => new Date(iso);
    await provisionDatabase({
      admin,
      repository,
      env,
      template,
      ttlMs: DAY,
      now: at("2030-01-01T00:00:00Z"),
    });
    await provisionDatabase({
      admin,
      repository,
      env,
      template,
      ttlMs: DAY,
      now: at("2030-01-02T00:00:00Z"),
    });
    await provisionDatabase({
      admin,
      repository,
      env,
      template,
      ttlMs: DAY,
      now: at("2030-01-03T00:00:00Z"),
      reset: true,
    });
    const listed = (await listDatabases({ admin })).find((d) => d.label.env === env);
    expect(listed?.label).toMatchObject({
      createdAt: "2030-01-01T00:00:00.000Z",
      expiresAt: "2030-01-04T00:00:00.000Z",
    });
    await destroyDatabase({ admin, repository, env });
  });

  it("finishes a provisioning that stopped after the role was created", async () => {
    const { role } = previewNames({ repository, env: "pr-crash" });
    await admin.query(`CREATE ROLE "${role}" LOGIN`);
    const result = await provisionDatabase({ admin, repository, env: "pr-crash", template, ttlMs: DAY });
    expect(result.created).toBe(true);
    expect(
      await asApp(result.databaseUrl, async (c) => (await c.query("SELECT 1 FROM items")).rowCount),
    ).toBe(50);
  });

  it("finishes a provisioning that stopped after cloning, before handing the database over", async () => {
    const { database, role } = previewNames({ repository, env: "pr-halfway" });
    await admin.query(`CREATE ROLE "${role}" LOGIN`);
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
    const result = await provisionDatabase({ admin, repository, env: "pr-halfway", template, ttlMs: DAY });
    expect(result.created).toBe(false);
    expect(await asApp(result.databaseUrl, async (c) => (await c.query("DELETE FROM items")).rowCount)).toBe(
      50,
    );
  });

  it("provisions twenty environments concurrently without collision", async () => {
    const envs = Array.from({ length: 20 }, (_, i) => `pr-c${i}`);
    const results = await Promise.all(
      envs.map((env) => provisionDatabase({ admin, repository, env, template, ttlMs: DAY })),
    );
    expect(new Set(results.map((r) => r.database)).size).toBe(20);
    for (const result of results) {
      expect(
        await asApp(result.databaseUrl, async (c) => (await c.query("SELECT 1 FROM items")).rowCount),
      ).toBe(50);
    }
    await Promise.all(envs.map((env) => destroyDatabase({ admin, repository, env })));
  });

  it("provisions the same environment concurrently once", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => provisionDatabase({ admin, repository, env: "pr-same", template, ttlMs: DAY })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});

describe("destroyDatabase and sweepDatabases", () => {
  it("drops a database with open connections, then its role, and is safe to repeat", async () => {
    const result = await provisionDatabase({ admin, repository, env: "pr-gone", template, ttlMs: DAY });
    const open = new pg.Client({ connectionString: result.databaseUrl });
    open.on("error", () => undefined);
    await open.connect();
    expect(await destroyDatabase({ admin, repository, env: "pr-gone" })).toMatchObject({
      droppedDatabase: true,
      droppedRole: true,
    });
    expect(await destroyDatabase({ admin, repository, env: "pr-gone" })).toMatchObject({
      droppedDatabase: false,
      droppedRole: false,
    });
    await open.end().catch(() => undefined);
  });

  it("sweeps only labelled databases that expired or whose environment is gone", async () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    await admin.query("CREATE DATABASE not_ours");
    await admin.query(`COMMENT ON DATABASE not_ours IS '{"other":"tool"}'`);
    await provisionDatabase({
      admin,
      repository: "sweep/x",
      env: "old",
      template,
      ttlMs: 1000,
      now: () => new Date(now - 5000),
    });
    await provisionDatabase({
      admin,
      repository: "sweep/x",
      env: "closed",
      template,
      ttlMs: DAY,
      now: () => new Date(now),
    });
    await provisionDatabase({
      admin,
      repository: "sweep/x",
      env: "open",
      template,
      ttlMs: DAY,
      now: () => new Date(now),
    });
    const removed = await sweepDatabases({
      admin,
      now: () => new Date(now),
      isEnvironmentAlive: async (repo, env) => !(repo === "sweep/x" && env === "closed"),
    });
    expect(
      removed
        .filter((r) => r.repository === "sweep/x")
        .map((r) => [r.env, r.reason])
        .sort(),
    ).toEqual([
      ["closed", "environment-gone"],
      ["old", "expired"],
    ]);
    const left = await admin.query("SELECT datname FROM pg_database WHERE datname = 'not_ours'");
    expect(left).toHaveLength(1);
    const listed = await listDatabases({ admin, now: () => new Date(now) });
    expect(
      listed.some((d) => d.label.repository === "sweep/x" && d.label.env === "open" && d.sizeBytes > 0),
    ).toBe(true);
    expect(listed.some((d) => d.label.kind === "template" && d.database === template)).toBe(true);
    const orphan = previewNames({ repository: "sweep/x", env: "orphan" }).role;
    const orphanLabel = JSON.stringify({
      aether: 1,
      kind: "preview",
      repository: "sweep/x",
      env: "orphan",
      expiresAt: "2029-01-01T00:00:00.000Z",
      template: null,
    });
    await admin.query(`CREATE ROLE "${orphan}" LOGIN`);
    await admin.query(`COMMENT ON ROLE "${orphan}" IS '${orphanLabel}'`);
    expect(await sweepDatabases({ admin, now: () => new Date(now) })).toEqual([
      { repository: "sweep/x", env: "orphan", database: orphan, reason: "expired" },
    ]);
    const roles = await admin.query("SELECT rolname FROM pg_roles WHERE rolname = $1", [
      previewNames({ repository: "sweep/x", env: "old" }).role,
    ]);
    expect(roles).toHaveLength(0);
  });
});

describe("errors", () => {
  it("names an unknown environment, with a way forward", async () => {
    await expect(findEnvironmentDatabase({ admin, repository, env: "pr-never" })).rejects.toThrow(
      UnknownEnvironmentError,
    );
    await expect(findEnvironmentDatabase({ admin, repository, env: "pr-never" })).rejects.toThrow(
      /aether db create pr-never/,
    );
    await provisionDatabase({ admin, repository, env: "pr-known", ttlMs: DAY });
    expect((await findEnvironmentDatabase({ admin, repository, env: "pr-known" })).database).toBe(
      previewNames({ repository, env: "pr-known" }).database,
    );
  });

  it("reports a template that stays busy", async () => {
    await admin.query("CREATE DATABASE busy_tpl");
    const holder = new pg.Client({ ...admin.connection, database: "busy_tpl" });
    await holder.connect();
    const error = await provisionDatabase({
      admin,
      repository,
      env: "pr-busy",
      template: "busy_tpl",
      ttlMs: DAY,
      cloneAttempts: 2,
    }).catch((e: unknown) => e);
    await holder.end();
    expect(error).toBeInstanceOf(TemplateBusyError);
    expect(String(error)).toContain("busy_tpl");
  });

  it("names an unreachable server without the password", async () => {
    const bad = createPostgresAdmin({
      host: "127.0.0.1",
      port: 1,
      user: "postgres",
      password: "planted-secret-123",
    });
    const error = await provisionDatabase({ admin: bad, repository, env: "pr-x", ttlMs: DAY }).catch(
      (e: unknown) => e,
    );
    await bad.close();
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect(String(error)).toContain("127.0.0.1:1");
    expect(String(error)).not.toContain("planted-secret-123");
  });

  it("reports refused admin credentials as a permission error without the password", async () => {
    const bad = createPostgresAdmin({
      host: server.host,
      port: server.port,
      user: "postgres",
      password: "planted-secret-456",
    });
    const error = await listDatabases({ admin: bad }).catch((e: unknown) => e);
    await bad.close();
    expect(error).toBeInstanceOf(AdminPermissionError);
    expect(String(error)).not.toContain("planted-secret-456");
  });
});
