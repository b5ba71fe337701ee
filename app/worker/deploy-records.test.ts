import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresServer, type PostgresTestServer } from "../../test/support/postgres-server.ts";
import { migrateAppSchema } from "../db/migrate-app-schema.ts";
import { createDeployRecords, type DeployRecords, type NewDeployRequest } from "./deploy-records.ts";

let server: PostgresTestServer;
let pool: pg.Pool;
let records: DeployRecords;

beforeAll(async () => {
  server = await startPostgresServer();
  pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on("error", () => undefined);
  await migrateAppSchema(pool);
  await migrateAppSchema(pool); // a second start finds the tables there
  records = createDeployRecords(pool);
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

let n = 0;
function request(env: string, overrides: Partial<NewDeployRequest> = {}): NewDeployRequest {
  n += 1;
  return {
    dedupeKey: `delivery-${n}`,
    repository: "acme/shop",
    installationId: 1,
    app: "app",
    env,
    kind: "named",
    task: "deploy",
    sha: "a".repeat(40),
    digest: null,
    prNumber: null,
    requestedBy: "mona",
    source: "push",
    commandCommentId: null,
    verifyHead: false,
    ...overrides,
  };
}

describe("deploy requests", () => {
  it("records a request once per dedupe key", async () => {
    const first = await records.insert(request("dedupe", { dedupeKey: "same" }));
    const again = await records.insert(request("dedupe", { dedupeKey: "same" }));
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ request: first.request, inserted: false });
  });

  it("runs one request per environment at a time, and a newer request supersedes a queued older one", async () => {
    const running = (await records.insert(request("staging"))).request;
    expect(await records.claim(running.id, "w1", 60_000)).toMatchObject({ kind: "claimed", resumed: false });
    const older = (await records.insert(request("staging"))).request;
    const newer = (await records.insert(request("staging"))).request;
    // While the first runs, the newest waits its turn …
    expect(await records.claim(newer.id, "w2", 60_000)).toEqual({ kind: "busy" });
    // … and the older queued one steps aside for it.
    expect(await records.claim(older.id, "w2", 60_000)).toMatchObject({ kind: "superseded" });
    // Another environment is not held up.
    const other = (await records.insert(request("qa"))).request;
    expect((await records.claim(other.id, "w2", 60_000)).kind).toBe("claimed");
    await records.update(running.id, { state: "success", url: "http://127.0.0.1:4100" });
    expect((await records.claim(newer.id, "w2", 60_000)).kind).toBe("claimed");
    expect((await records.get(older.id))?.state).toBe("superseded");
    expect(await records.claim(running.id, "w3", 60_000)).toMatchObject({ kind: "settled" });
  });

  it("hands a request whose worker's lease ran out to another worker, as a resumption", async () => {
    const stuck = (await records.insert(request("resume"))).request;
    expect((await records.claim(stuck.id, "dead-worker", 1)).kind).toBe("claimed");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await records.lapsed()).toContain(stuck.id);
    const taken = await records.claim(stuck.id, "w2", 60_000);
    expect(taken).toMatchObject({ kind: "claimed", resumed: true, request: { attempts: 1 } });
    expect(await records.lapsed()).not.toContain(stuck.id);
    // The dead worker's own retry finds it held by the new one.
    expect((await records.claim(stuck.id, "dead-worker", 60_000)).kind).toBe("settled");
    // A run that failed gives its lease up, so the queue's retry resumes it without waiting.
    await records.releaseLease(stuck.id, "w2");
    expect(await records.claim(stuck.id, "w2", 60_000)).toMatchObject({ kind: "claimed", resumed: true });
  });

  it("wakes the requests waiting for a commit's build", async () => {
    const waiting = (await records.insert(request("wake", { sha: "b".repeat(40) }))).request;
    await records.update(waiting.id, { state: "waiting-artifact" });
    expect(await records.wakeWaiting("acme/shop", "c".repeat(40))).toEqual([]);
    expect(await records.wakeWaiting("acme/shop", "b".repeat(40))).toEqual([waiting.id]);
    expect((await records.get(waiting.id))?.state).toBe("queued");
  });
});

describe("requests held by GitHub environment protection", () => {
  it("counts one approval of a request waiting for one, keeps branch, approver and start time, and runs it when due", async () => {
    const { request: held } = await records.insert(request("approvals", { ref: "main" }));
    expect(held).toMatchObject({ ref: "main", approvedBy: null, notBefore: null });
    expect(await records.held.approve(held.id, "alice")).toBe(false);
    await records.update(held.id, { state: "waiting-approval" });
    expect((await records.claim(held.id, "w1", 5000)).kind).toBe("settled");
    expect(await records.held.approve(held.id, "alice")).toBe(true);
    expect(await records.held.approve(held.id, "bob")).toBe(false);
    await records.update(held.id, { state: "waiting-timer", notBefore: 1_800_000_000_000 });
    expect(await records.get(held.id)).toMatchObject({
      state: "waiting-timer",
      approvedBy: "alice",
      notBefore: 1_800_000_000_000,
    });
    expect((await records.claim(held.id, "w1", 5000)).kind).toBe("claimed");
  });
});
