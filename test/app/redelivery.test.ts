import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createGitHubClients } from "../../app/github/github-client.ts";
import { redeliverMissed } from "../../app/intake/redeliver-missed.ts";
import { createRedeliveryRecords } from "../../app/intake/redelivery-records.ts";
import { startApp } from "../../app/server/start-app.ts";
import { assertAllRequestsValid, signedDelivery } from "../support/github/index.ts";
import { freePort } from "../support/postgres-server.ts";
import {
  APP_ID,
  REPO,
  SECRET,
  pushMovesBranch,
  shaOf,
  startHarness,
  waitFor,
  type Harness,
} from "./app-harness.ts";
import { pushPayload, workflowRunCompleted } from "./payloads.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ startApp: false });
});
afterAll(async () => {
  await h?.stop();
});

/** The app with a one-second redelivery scan, on a port known beforehand: GitHub's webhook URL. */
async function startWithRedelivery(): Promise<void> {
  const port = await freePort();
  h.github.state.appHook.url = `http://127.0.0.1:${port}/api/github/webhooks`;
  h.app = await startApp({ ...h.appOptions(), port, redeliverIntervalSeconds: 1 });
}

const sign = (event: string, payload: unknown) => signedDelivery({ event, payload, secret: SECRET });
const ops = (operationId: string) => h.github.requests.filter((r) => r.operationId === operationId);
const redeliveryUrls = () => ops("apps/redeliver-webhook-delivery").map((r) => r.url);
const attemptsUrl = (id: number) => `/app/hook/deliveries/${id}/attempts`;
const scans = () => ops("apps/list-webhook-deliveries").filter((r) => r.status === 200).length;

describe("webhook deliveries GitHub could not hand over", () => {
  it("are redelivered once after the app starts, and deploy once; what got through or failed thrice is left alone", async () => {
    const log = h.github.state.appHook;
    const sha = shaOf("redelivered-push");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": "version: 1\n" });
    await h.build(sha, "redelivered");
    // While the app was down: one push GitHub could not deliver, and one it tried three times.
    const missed = log.record({ delivery: sign("push", pushPayload(sha)), statusCode: 502 });
    pushMovesBranch(h.github, "push", pushPayload(sha));
    const stubborn = sign("push", pushPayload(shaOf("stubborn")));
    const tries = [0, 502, 502].map((statusCode, n) =>
      log.record({ delivery: stubborn, statusCode, redelivery: n > 0 }),
    );

    await startWithRedelivery();
    // Delivered and answered 202; and one the app took in though GitHub logged a timeout.
    const delivered = await log.send(sign("workflow_run", workflowRunCompleted(shaOf("built"))));
    expect(delivered.statusCode).toBe(202);
    const slow = sign("workflow_run", workflowRunCompleted(shaOf("slow")));
    await fetch(h.app.webhookUrl, { method: "POST", headers: slow.headers, body: slow.body });
    const timedOut = log.record({ delivery: slow, statusCode: 0, status: "timed out" });

    const success = await waitFor("the redelivered push live", () => {
      return h.github.state.deploymentStatuses.find(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === sha,
      );
    });
    expect(await (await fetch(success.environmentUrl)).text()).toBe("hello redelivered");
    const seen = scans();
    await waitFor("three more scans", () => scans() >= seen + 3);
    await log.settled();

    expect(redeliveryUrls()).toEqual([attemptsUrl(missed.id)]);
    expect(log.of(missed.guid).map((a) => [a.redelivery, a.statusCode])).toEqual([
      [false, 502],
      [true, 202],
    ]);
    for (const left of [...tries, delivered, timedOut])
      expect(redeliveryUrls()).not.toContain(attemptsUrl(left.id));
    expect(h.github.state.deployments.filter((d) => d.sha === sha)).toHaveLength(1);
    expect(await h.query("SELECT id FROM aether_deploy_requests WHERE sha = $1", [sha])).toHaveLength(1);
    expect(await h.query("SELECT guid, asks FROM aether_redelivery_asks")).toEqual([
      { guid: missed.guid, asks: 1 },
    ]);
    assertAllRequestsValid(h.github);
    await h.app.stop();
  });

  it("survives a failing delivery log, and asks again after a failed ask", async () => {
    const log = h.github.state.appHook;
    const missed = log.record({
      delivery: sign("workflow_run", workflowRunCompleted(shaOf("missed-run"))),
      statusCode: 0,
      status: "failed to connect",
    });
    h.github.faults.inject("GET /app/hook/deliveries", { kind: "status", status: 500 }, 8);
    h.github.faults.inject("POST /app/hook/deliveries/{delivery_id}/attempts", {
      kind: "status",
      status: 502,
    });
    const lines = h.logLines.length;
    await startWithRedelivery();

    await waitFor("a logged scan failure", () =>
      h.logLines.slice(lines).some((line) => line.startsWith("webhook redelivery scan failed: ")),
    );
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    await waitFor("the failed ask logged", () =>
      h.logLines.some((line) => line.includes(`delivery ${missed.guid} failed`)),
    );
    await waitFor(
      "the intake holds the redelivered run",
      async () => (await h.query("SELECT id FROM pgboss.job WHERE id = $1", [missed.guid])).length === 1,
    );
    expect(redeliveryUrls().filter((url) => url === attemptsUrl(missed.id))).toHaveLength(2);
    expect(await h.query("SELECT asks FROM aether_redelivery_asks WHERE guid = $1", [missed.guid])).toEqual([
      { asks: 2 },
    ]);
    expect(h.logLines.join("\n")).not.toContain(SECRET);
    assertAllRequestsValid(h.github);
    await h.app.stop();
  });

  it("reads the log page by page, and stops after three attempts per delivery", async () => {
    const log = h.github.state.appHook;
    // Nothing listens there any more: every redelivery fails, as it would while the app is down.
    const missed = Array.from({ length: 5 }, (_, n) =>
      log.record({
        delivery: sign("workflow_run", workflowRunCompleted(shaOf(`down-${n}`))),
        statusCode: 502,
      }),
    );
    const pool = new pg.Pool({ connectionString: h.pg.url, max: 2 });
    const github = createGitHubClients({
      appId: APP_ID,
      privateKey: h.key.privateKey,
      baseUrl: h.github.url,
      throttle: { enabled: false },
      retryBaseMs: 1,
    });
    const lines: string[] = [];
    const deps = {
      github: github.asApp(),
      records: createRedeliveryRecords(pool),
      wasReceived: async (guid: string) =>
        (await pool.query("SELECT 1 FROM pgboss.job WHERE id = $1", [guid])).rowCount === 1,
      redact: (text: string) => text,
      log: (line: string) => lines.push(line),
      now: Date.now,
    };
    try {
      const listed = ops("apps/list-webhook-deliveries").length;
      const first = await redeliverMissed(deps, { pageSize: 2 });
      expect(first?.redelivered).toEqual(missed.map((a) => a.guid));
      const pages = ops("apps/list-webhook-deliveries").slice(listed);
      expect(pages.length).toBeGreaterThan(3);
      expect(pages.slice(1).every((r) => r.url.includes("cursor=v1_"))).toBe(true);
      await log.settled();
      const second = await redeliverMissed(deps, { pageSize: 2 });
      expect(second?.redelivered).toEqual(missed.map((a) => a.guid));
      await log.settled();
      expect(await redeliverMissed(deps, { pageSize: 2 })).toMatchObject({ redelivered: [], failed: [] });
      for (const attempt of missed)
        expect(log.of(attempt.guid).map((a) => a.statusCode)).toEqual([502, 0, 0]);
      const hookOps = [...ops("apps/list-webhook-deliveries"), ...ops("apps/redeliver-webhook-delivery")];
      expect(hookOps.flatMap((r) => r.responseProblems)).toEqual([]);
      assertAllRequestsValid(h.github);
    } finally {
      await pool.end();
    }
  });
});
