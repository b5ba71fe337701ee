import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { ensureTemplate, TemplateBuildError, templateInputHash } from "./ensure-template.ts";
import { listDatabases } from "./list-databases.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { provisionDatabase } from "./provision-database.ts";

let server: PostgresTestServer;
let admin: PostgresAdmin;
const v1 = {
  files: [{ name: "001.sql", sql: "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)" }],
};
const v2 = { files: [...v1.files, { name: "002.sql", sql: "ALTER TABLE t ADD COLUMN name text" }] };

beforeAll(async () => {
  server = await startPostgresServer();
  admin = adminFor(server);
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

describe("ensureTemplate", () => {
  it("builds once per input hash, as a template nobody can connect to", async () => {
    const first = await ensureTemplate({ admin, repository: "octo/shop", source: v1 });
    expect(first.built).toBe(true);
    expect(await ensureTemplate({ admin, repository: "octo/shop", source: v1 })).toEqual({
      ...first,
      built: false,
    });
    const rows = await admin.query("SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1", [
      first.template,
    ]);
    expect(rows).toEqual([{ datistemplate: true, datallowconn: false }]);
    const probe = new pg.Client({ ...admin.connection, database: first.template });
    await expect(probe.connect()).rejects.toThrow(/not currently accepting connections/);
  });

  it("rebuilds when the migrations change and removes the repository's older template only", async () => {
    const other = await ensureTemplate({ admin, repository: "octo/other", source: v1 });
    const old = await ensureTemplate({ admin, repository: "octo/shop", source: v1 });
    const next = await ensureTemplate({ admin, repository: "octo/shop", source: v2 });
    expect(next).toMatchObject({ built: true, removed: [old.template] });
    const templates = (await listDatabases({ admin }))
      .filter((d) => d.label.kind === "template")
      .map((d) => d.database);
    expect(templates.sort()).toEqual([other.template, next.template].sort());
    const env = await provisionDatabase({
      admin,
      repository: "octo/shop",
      env: "pr-1",
      template: next.template,
      ttlMs: 60_000,
    });
    const client = new pg.Client({ connectionString: env.databaseUrl });
    await client.connect();
    await client.query("INSERT INTO t (id, name) VALUES (2, 'two')");
    await client.query("ALTER TABLE t ADD COLUMN extra int"); // owner of the table, not just of the database
    await client.end();
  });

  it("names the failing migration and leaves no half-built template", async () => {
    const broken = {
      files: [...v1.files, { name: "003_broken.sql", sql: "ALTER TABLE nope ADD COLUMN x int" }],
    };
    const error = await ensureTemplate({ admin, repository: "octo/broken", source: broken }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemplateBuildError);
    expect(String(error)).toContain("003_broken.sql");
    expect((await listDatabases({ admin })).filter((d) => d.label.repository === "octo/broken")).toEqual([]);
    const leftovers = await admin.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'aether_tpl_octo_broken%'",
    );
    expect(leftovers).toEqual([]);
  });

  it("hashes names, contents and order", () => {
    const hashes = [v1, v2, { files: [...v2.files].reverse() }, { seedSql: v1.files[0]?.sql ?? "" }].map(
      templateInputHash,
    );
    expect(new Set(hashes).size).toBe(4);
  });
});
