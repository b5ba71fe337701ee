import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedPostgresBinDir } from "../../test/support/postgres-server.ts";
import { createPostgresAdmin } from "./postgres-admin.ts";
import { ensureLocalPostgres, LocalPostgresError, stopLocalPostgres } from "./local-postgres.ts";

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) {
    await stopLocalPostgres({ dir }).catch(() => undefined);
    await rm(dirname(dir), { recursive: true, force: true });
  }
});

async function folder(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), "aether-local-pg-"));
  await chmod(parent, 0o755); // as root, the server runs as `postgres`, which must reach it
  const dir = join(parent, "postgres");
  made.push(dir);
  return dir;
}

describe("the local default server", () => {
  it("is made once when several callers ask at once, and they all get the same running server", async () => {
    const dir = await folder();
    const binDir = await embeddedPostgresBinDir();
    const results = await Promise.all([1, 2, 3].map(() => ensureLocalPostgres({ dir, binDir })));
    expect(results.filter((r) => r.initialised)).toHaveLength(1);
    expect(results.filter((r) => r.started)).toHaveLength(1);
    expect(new Set(results.map((r) => r.connection.port)).size).toBe(1);
    const admin = createPostgresAdmin(results[0]!.connection);
    try {
      expect(await admin.query("SELECT current_user AS u")).toEqual([{ u: "postgres" }]);
    } finally {
      await admin.close();
    }
    expect((await readFile(join(dir, "admin-password"), "utf8")).trim()).toBe(
      results[0]!.connection.password,
    );
  });

  it("stops, and starts again on its port; stopping a stopped or absent server is a no-op", async () => {
    const dir = await folder();
    const binDir = await embeddedPostgresBinDir();
    const first = await ensureLocalPostgres({ dir, binDir });
    expect(await stopLocalPostgres({ dir })).toEqual({ wasRunning: true });
    expect(await stopLocalPostgres({ dir })).toEqual({ wasRunning: false });
    const again = await ensureLocalPostgres({ dir, binDir: "/ignored/after/the/first/start" });
    expect(again).toMatchObject({ started: true, initialised: false, binDir });
    expect(again.connection).toEqual(first.connection);
    expect(await stopLocalPostgres({ dir: join(dir, "never-made") })).toEqual({ wasRunning: false });
  });

  it.skipIf(process.getuid?.() !== 0)(
    "as root, fails at once naming the folder the postgres user cannot enter",
    async () => {
      const parent = await mkdtemp(join(tmpdir(), "aether-local-pg-"));
      const dir = join(parent, "nested", "postgres");
      try {
        const failure = await ensureLocalPostgres({ dir, binDir: await embeddedPostgresBinDir() }).catch(
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(LocalPostgresError);
        expect(String(failure)).toContain(`cannot enter ${parent}.`);
        expect(String(failure)).toContain(`chmod o+x ${parent}`);
      } finally {
        await rm(parent, { recursive: true, force: true });
      }
    },
  );
});
