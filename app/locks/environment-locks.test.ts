import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresServer, type PostgresTestServer } from "../../test/support/postgres-server.ts";
import { migrateAppSchema } from "../db/migrate-app-schema.ts";
import { createEnvironmentLocks } from "./environment-locks.ts";

let server: PostgresTestServer;
let pool: pg.Pool;
let now = Date.parse("2026-01-01T12:00:00Z");

beforeAll(async () => {
  server = await startPostgresServer();
  pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on("error", () => undefined);
  await migrateAppSchema(pool);
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describe("environment locks", () => {
  it("keeps one owner per environment, with reason and expiry, until unlocked or expired", async () => {
    const locks = createEnvironmentLocks(pool, () => now);
    const where = { repository: "acme/shop", env: "production" };
    expect(await locks.get(where)).toBeUndefined();
    const taken = await locks.lock({
      ...where,
      owner: "carol",
      reason: "release freeze",
      expiresAt: now + 3_600_000,
    });
    expect(taken).toEqual({
      ok: true,
      lock: { env: "production", owner: "carol", reason: "release freeze", expiresAt: now + 3_600_000 },
    });
    const other = await locks.lock({ ...where, owner: "dave" });
    expect(other).toMatchObject({ ok: false, heldBy: { owner: "carol", reason: "release freeze" } });
    expect(
      (await locks.lock({ ...where, owner: "Carol", reason: "longer", expiresAt: now + 3_600_000 })).ok,
    ).toBe(true);
    expect(await locks.get({ repository: "acme/shop", env: "staging" })).toBeUndefined();
    expect(await locks.get({ repository: "acme/blog", env: "production" })).toBeUndefined();
    now += 2 * 3_600_000;
    expect(await locks.get(where)).toBeUndefined();
    await locks.lock({ ...where, owner: "dave" });
    expect(await locks.unlock(where)).toEqual({ ok: true });
    expect(await locks.unlock(where)).toEqual({ ok: false, reason: "not-locked" });
  });
});
