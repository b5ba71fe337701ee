import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { runAether, type AetherRun } from "../support/run-aether.ts";

// The local default of `aether db`: a server in .aether/postgres, made on first use and left running.
const PG15 = "/usr/lib/postgresql/15/bin";
const folders: string[] = [];

afterEach(async () => {
  for (const dir of folders.splice(0)) {
    await runAether(["db", "stop"], { cwd: dir });
    await rm(dir, { recursive: true, force: true });
  }
});

/** A project folder the `postgres` system user can reach (the server runs as it when tests run as root). */
async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aether-db-local-"));
  await chmod(dir, 0o755);
  folders.push(dir);
  return dir;
}

function ok(run: AetherRun): AetherRun {
  expect(run.stderr.replace(/^✔.*\n( {2}.*\n)*/gm, "")).toBe("");
  expect(run.code).toBe(0);
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

describe("aether db on the local default server", () => {
  it("makes the server on first use, leaves it running, and runs create, list, reset, destroy, stop", async () => {
    const cwd = await project();
    const env = { GITHUB_REPOSITORY: "octo/shop" };
    const first = ok(await runAether(["db", "list", "--json"], { cwd, env }));
    const listed = JSON.parse(first.stdout) as {
      server: string;
      environments: unknown[];
      openDatabases: string[];
    };
    expect(listed.environments).toEqual([]);
    // The fresh cluster's postgres and template1 were closed to PUBLIC, so there is nothing to warn about.
    expect(listed.openDatabases).toEqual([]);
    const state = JSON.parse(await readFile(join(cwd, ".aether", "postgres", "server.json"), "utf8")) as {
      port: number;
    };
    expect(listed.server).toBe(`127.0.0.1:${state.port}`);

    const created = await runAether(["db", "create", "pr-1", "--print-url"], { cwd, env });
    expect(created.code).toBe(0);
    const url = created.stdout.trim();
    expect(url).toMatch(
      /^postgresql:\/\/aether_octo_shop_pr_1_[0-9a-f]{10}:[^@]+@127\.0\.0\.1:\d+\/aether_octo_shop_pr_1_/,
    );
    const password = decodeURIComponent(new URL(url).password);
    expect(created.stderr).toContain("Created database aether_octo_shop_pr_1_");
    expect(created.stderr).not.toContain(password);
    // The server outlives the command: the URL works after it ended.
    await query(url, "CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept')");

    const again = ok(await runAether(["db", "create", "pr-1"], { cwd, env }));
    expect(again.stdout).toContain("Kept (data unchanged)");
    expect(again.stdout).toContain("add --print-url");
    await expect(query(url, "SELECT 1")).rejects.toThrow(/password authentication failed/);

    const table = ok(await runAether(["db", "list"], { cwd, env })).stdout;
    expect(table).toMatch(
      /pr-1\s+aether_octo_shop_pr_1_\w+\s+aether_octo_shop_pr_1_\w+\s+\d[\d.]* [kM]?B\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-/,
    );

    const reset = await runAether(["db", "reset", "pr-1", "--print-url", "--json"], { cwd, env });
    expect(reset.code).toBe(0);
    const resetJson = JSON.parse(reset.stdout) as { reset: boolean; databaseUrl: string };
    expect(resetJson.reset).toBe(true);
    expect((await query(resetJson.databaseUrl, "SELECT to_regclass('notes') AS t")).rows).toEqual([
      { t: null },
    ]);

    const destroyed = ok(await runAether(["db", "destroy", "pr-1"], { cwd, env }));
    expect(destroyed.stdout).toContain("Destroyed pr-1");
    const twice = ok(await runAether(["db", "destroy", "pr-1"], { cwd, env }));
    expect(twice.stdout).toContain("Nothing to destroy");

    expect(ok(await runAether(["db", "stop"], { cwd })).stdout).toContain(
      "Stopped the local PostgreSQL server",
    );
    expect(ok(await runAether(["db", "stop"], { cwd })).stdout).toContain("is not running");
    // Started again on demand, on the port it had when that is still free.
    const restarted = JSON.parse(ok(await runAether(["db", "list", "--json"], { cwd, env })).stdout) as {
      server: string;
    };
    expect(restarted.server).toBe(listed.server);
    const log = await readFile(join(cwd, ".aether", "postgres", "server.log"), "utf8");
    expect(log).not.toContain(password);
  });

  it.skipIf(!existsSync(join(PG15, "initdb")))(
    "is made with AETHER_PG_BIN's binaries when given, so the machine's pg_dump can back it up and restore",
    async () => {
      const cwd = await project();
      const env = { GITHUB_REPOSITORY: "octo/shop", AETHER_PG_BIN: PG15 };
      const url = (await runAether(["db", "create", "staging", "--print-url"], { cwd, env })).stdout.trim();
      await query(url, "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 300) g");
      const backup = JSON.parse(
        ok(await runAether(["db", "backup", "staging", "--json"], { cwd, env })).stdout,
      ) as {
        backup: { id: string };
        pgDump: { major: number };
      };
      expect(backup.pgDump.major).toBe(15);
      await query(url, "DELETE FROM t WHERE id > 100");
      ok(await runAether(["db", "restore", "staging", "--from", backup.backup.id], { cwd, env }));
      expect((await query(url, "SELECT count(*)::int AS n FROM t")).rows).toEqual([{ n: 300 }]);
    },
  );
});
