import { createHmac, randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import { Pool } from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_QUEUE, createWebhookQueue } from "../../app/intake/pg-boss-queue.ts";
import { createWebhookHandler } from "../../app/intake/webhook-handler.ts";
import { startPostgresServer, type PostgresTestServer } from "../support/postgres-server.ts";
import { webhookExample } from "../support/github/webhook-example.ts";

const SECRET = "intake-test-secret";
const SELF = { appId: 4242, botLogin: "aether[bot]" };
let pg: PostgresTestServer;
let boss: PgBoss;
let pool: Pool;
let server: Server;
let url: string;
const logLines: string[] = [];

beforeAll(async () => {
  pg = await startPostgresServer();
  boss = new PgBoss({ connectionString: pg.url });
  boss.on("error", () => undefined);
  await boss.start();
  pool = new Pool({ connectionString: pg.url, max: 2 });
  // A connection still closing when the server stops at the end gets PostgreSQL's goodbye: not a failure.
  pool.on("error", () => undefined);
  const queue = await createWebhookQueue(boss, pool);
  const handler = createWebhookHandler({
    secret: SECRET,
    self: SELF,
    enqueue: queue.enqueue,
    log: (line) => logLines.push(line),
    maxBodyBytes: 64 * 1024,
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
  await boss?.stop({ graceful: false });
  await pool?.end();
  await pg?.stop();
});

async function deliver(request: {
  event: string;
  payload: unknown;
  id?: string;
  signature?: string;
  headers?: Record<string, string>;
}): Promise<{ status: number; body: string }> {
  const body = Buffer.from(JSON.stringify(request.payload));
  const signature = request.signature ?? `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": request.event,
      "x-github-delivery": request.id ?? randomUUID(),
      "x-hub-signature-256": signature,
      ...request.headers,
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

async function queued(id: string) {
  return boss.getJobById<{ event: string; action?: string; payload: { action?: string } }>(WEBHOOK_QUEUE, id);
}

describe("webhook intake", () => {
  it("queues a signed delivery once, however often GitHub redelivers it", async () => {
    const payload = webhookExample("issue_comment");
    const id = randomUUID();
    const first = await deliver({ event: "issue_comment", payload, id });
    expect(first).toEqual({ status: 202, body: JSON.stringify({ message: "queued" }) });
    const again = await deliver({ event: "issue_comment", payload, id });
    expect(again).toEqual({ status: 202, body: JSON.stringify({ message: "duplicate" }) });
    const job = await queued(id);
    expect(job?.data).toMatchObject({ id, event: "issue_comment", action: payload["action"] });
  });

  it("refuses a forged signature with 401 and one short log line, queuing nothing", async () => {
    const payload = webhookExample("issue_comment");
    const id = randomUUID();
    const forged = `sha256=${createHmac("sha256", "guessed-secret").update(JSON.stringify(payload)).digest("hex")}`;
    const result = await deliver({ event: "issue_comment", payload, id, signature: forged });
    expect(result.status).toBe(401);
    expect(await queued(id)).toBeNull();
    const line = logLines.find((l) => l.includes(id));
    expect(line).toBe(`webhook refused: signature mismatch (delivery ${id}, event issue_comment)`);
    const missing = await deliver({ event: "issue_comment", payload, signature: "" });
    expect(missing.status).toBe(401);
  });

  it("answers 413 to a payload over the limit without reading it", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, {
        method: "POST",
        headers: { "content-length": String(26 * 1024 * 1024), "x-github-event": "push" },
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.write("{");
    });
    expect(status).toBe(413);
    const big = await deliver({ event: "push", payload: { padding: "x".repeat(70 * 1024) } });
    expect(big.status).toBe(413);
  });

  it("ignores events the app caused itself, but not a person acting on the app's objects", async () => {
    const payload = webhookExample("issue_comment");
    const own = { ...payload, sender: { login: "aether[bot]", type: "Bot", id: 1 } };
    const id = randomUUID();
    expect((await deliver({ event: "issue_comment", payload: own, id })).body).toContain("ignored");
    expect(await queued(id)).toBeNull();
    const person = { ...payload, sender: { login: "octocat", type: "User", id: 2 } };
    expect((await deliver({ event: "issue_comment", payload: person })).body).toContain("queued");
  });

  it("refuses what is not a GitHub delivery", async () => {
    expect((await deliver({ event: "push", payload: {}, id: "not-a-uuid" })).status).toBe(400);
    expect((await deliver({ event: "push", payload: [1, 2] })).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
  });
});
