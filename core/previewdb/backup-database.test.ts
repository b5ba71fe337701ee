import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { digestOf } from "../artifact/digest.ts";
import { createFolderStore } from "../store/folder-store.ts";
import type { ArtifactStore } from "../store/store.ts";
import { backupDatabase, UnknownDatabaseError } from "./backup-database.ts";
import { listBackups } from "./backup-catalog.ts";
import { readBackupIndex } from "./backup-index.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { PgToolError } from "./previewdb-errors.ts";
import { restoreDatabase } from "./restore-database.ts";

// pg_dump refuses servers newer than itself, and the machine's client tools are PostgreSQL 15: this file runs
// a PostgreSQL 15 server from the same folder (the Debian package's), so tools and server match.
const PG15 = "/usr/lib/postgresql/15/bin";
let server: PostgresTestServer;
let admin: PostgresAdmin;
let work: string;
let store: ArtifactStore;
const now = () => new Date("2030-01-01T00:00:00Z");

beforeAll(async () => {
  if (!existsSync(join(PG15, "pg_dump")))
    throw new Error(`${PG15}/pg_dump is missing: install postgresql-15`);
  server = await startPostgresServer({ binDir: PG15 });
  admin = adminFor(server);
  work = await mkdtemp(join(tmpdir(), "aether-backup-test-"));
  store = createFolderStore(join(work, "store"));
  await admin.query("CREATE DATABASE shop");
  await admin.withDatabase("shop", async (s) => {
    await s.query("CREATE TABLE customers (id serial PRIMARY KEY, name text, email text)");
    await s.query(
      "CREATE TABLE orders (id serial PRIMARY KEY, customer int REFERENCES customers, total numeric)",
    );
    await s.query(
      "INSERT INTO customers (name, email) SELECT 'c' || g, 'c' || g || '@x.test' FROM generate_series(1, 500) g",
    );
    await s.query(
      "INSERT INTO orders (customer, total) SELECT 1 + g % 500, g * 1.5 FROM generate_series(1, 2000) g",
    );
  });
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Row count and an md5 of every row in id order, per table: equal fingerprints mean equal content. */
async function fingerprint(database: string): Promise<Record<string, string>> {
  return admin.withDatabase(database, async (s) => {
    const out: Record<string, string> = {};
    for (const table of ["customers", "orders"]) {
      const rows = await s.query(
        `SELECT count(*)::text || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) AS f FROM ${table} t`,
      );
      out[table] = String(rows[0]?.["f"]);
    }
    return out;
  });
}

describe("backupDatabase and restoreDatabase", () => {
  it("stores a custom-format dump by digest, indexes it, and restores it with equal counts and checksums", async () => {
    const before = await fingerprint("shop");
    const record = await backupDatabase({
      admin,
      database: "shop",
      binDir: PG15,
      store,
      indexDir: join(work, "index"),
      tempDir: work,
      now,
    });
    expect(await store.hasBlob(record.digest)).toBe(true);
    expect(await readBackupIndex(join(work, "index"), "shop")).toEqual([record]);
    expect(await listBackups(store, "shop")).toEqual([record]);
    expect(record).toMatchObject({ id: "shop@2030-01-01T00:00:00.000Z", format: "pg_dump-custom" });

    await admin.withDatabase("shop", (s) => s.query("DELETE FROM orders WHERE id % 3 = 0"));
    expect(await fingerprint("shop")).not.toEqual(before);
    const open = new pg.Client({ ...admin.connection, database: "shop" });
    open.on("error", () => undefined);
    await open.connect();
    const restored = await restoreDatabase({
      admin,
      database: "shop",
      digest: record.digest,
      store,
      binDir: PG15,
      tempDir: work,
    });
    expect(restored.previous).toBeUndefined();
    expect(await fingerprint("shop")).toEqual(before);
    await open.end().catch(() => undefined);
    const leftovers = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'shop_%'");
    expect(leftovers).toEqual([]);
  });

  it("keeps the replaced database when asked", async () => {
    const record = await backupDatabase({
      admin,
      database: "shop",
      binDir: PG15,
      store,
      indexDir: join(work, "index"),
      tempDir: work,
      now,
    });
    const restored = await restoreDatabase({
      admin,
      database: "shop",
      digest: record.digest,
      store,
      binDir: PG15,
      tempDir: work,
      keepPrevious: true,
    });
    expect(restored.previous).toMatch(/^shop_previous_[0-9a-f]{8}$/);
    expect(await fingerprint(restored.previous ?? "")).toEqual(await fingerprint("shop"));
    await admin.query(`DROP DATABASE "${restored.previous}"`);
  });

  it("leaves the existing database untouched when the restore fails", async () => {
    const before = await fingerprint("shop");
    const garbage = join(work, "garbage");
    await writeFile(garbage, "not a dump");
    const digest = digestOf("not a dump");
    await store.putBlob(digest, garbage);
    const error = await restoreDatabase({
      admin,
      database: "shop",
      digest,
      store,
      binDir: PG15,
      tempDir: work,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgToolError);
    expect(String(error)).toContain('"shop"');
    expect(String(error)).not.toContain(server.password);
    expect(await fingerprint("shop")).toEqual(before);
    expect(await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'shop_restore%'")).toEqual(
      [],
    );
  });

  it("names an unknown database", async () => {
    await expect(
      backupDatabase({
        admin,
        database: "nope",
        binDir: PG15,
        store,
        indexDir: join(work, "index"),
        tempDir: work,
        now,
      }),
    ).rejects.toThrow(UnknownDatabaseError);
  });
});
