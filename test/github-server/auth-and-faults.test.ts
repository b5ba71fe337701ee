import { createSign } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { throttling } from "@octokit/plugin-throttling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertAllRequestsValid,
  assertResponsesLikeGitHub,
} from "../support/github/assert-all-requests-valid.ts";
import { generateAppKey } from "../support/github/app-auth.ts";
import { fakeSha } from "../support/github/github-state.ts";
import { startGitHubServer, type GitHubTestServer } from "../support/github/start-github-server.ts";

const key = generateAppKey();
const appId = 4242;
const repo = { owner: "acme", repo: "shop" };
const sha = fakeSha("beef");
const checkRun = { ...repo, name: "aether", head_sha: sha };

function appJwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey, "base64url")}`;
}

describe("GitHub test server: app authentication", () => {
  let server: GitHubTestServer;
  beforeAll(async () => {
    server = await startGitHubServer({ app: { id: appId, privateKey: key.privateKey } });
    server.state.addRepo({ owner: "acme", name: "shop", installationId: 77 });
  });
  afterAll(async () => {
    assertResponsesLikeGitHub(server);
    await server.stop();
  });

  it("mints an installation token for @octokit/auth-app's JWT, expiring in an hour, that then authenticates", async () => {
    const auth = createAppAuth({
      appId,
      privateKey: key.privateKey,
      request: new Octokit({ baseUrl: server.url }).request,
    });
    const installation = await auth({ type: "installation", installationId: 77 });
    const expiresIn = Date.parse(installation.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(59 * 60 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60 * 1000);
    const client = new Octokit({ auth: installation.token, baseUrl: server.url });
    expect((await client.request("GET /repos/{owner}/{repo}", repo)).data.default_branch).toBe("main");
    const app = new Octokit({ auth: (await auth({ type: "app" })).token, baseUrl: server.url });
    expect((await app.request("GET /repos/{owner}/{repo}/installation", repo)).data.id).toBe(77);
    assertAllRequestsValid(server);
  });

  it("refuses a JWT signed by another key, an expired one, and an installation token used where a JWT is needed", async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = generateAppKey();
    const call = (token: string) => new Octokit({ auth: token, baseUrl: server.url }).request("GET /app");
    await expect(
      call(appJwt(other.privateKey, { iss: appId, iat: now - 30, exp: now + 300 })),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      call(appJwt(key.privateKey, { iss: appId, iat: now - 900, exp: now - 300 })),
    ).rejects.toMatchObject({
      status: 401,
      response: { data: { message: expect.stringContaining("'exp'") } },
    });
    await expect(
      call(appJwt(key.privateKey, { iss: 1, iat: now - 30, exp: now + 300 })),
    ).rejects.toMatchObject({ status: 401 });
    server.tokens.add("ghs_plain", { nowMs: Date.now() });
    await expect(call("ghs_plain")).rejects.toMatchObject({ status: 401 });
    expect(
      (await call(appJwt(key.privateKey, { iss: appId, iat: now - 30, exp: now + 300 }))).data,
    ).toMatchObject({ slug: "aether-test" });
  });

  it("answers 401 to a missing token, an unknown one, and a minted one after it expires", async () => {
    await expect(
      new Octokit({ baseUrl: server.url }).request("GET /repos/{owner}/{repo}", repo),
    ).rejects.toMatchObject({ status: 401, response: { data: { message: "Requires authentication" } } });
    await expect(
      new Octokit({ auth: "ghs_unknown", baseUrl: server.url }).request("GET /repos/{owner}/{repo}", repo),
    ).rejects.toMatchObject({ status: 401, response: { data: { message: "Bad credentials" } } });
    const { token } = server.tokens.mint(77, Date.now());
    const client = new Octokit({ auth: token, baseUrl: server.url });
    await client.request("GET /repos/{owner}/{repo}", repo);
    server.advanceTime(60 * 60 * 1000 + 1);
    await expect(client.request("GET /repos/{owner}/{repo}", repo)).rejects.toMatchObject({ status: 401 });
  });
});

describe("GitHub test server: fault injection", () => {
  let server: GitHubTestServer;
  let client: Octokit;
  beforeAll(async () => {
    server = await startGitHubServer();
    server.tokens.add("ghs_t", { nowMs: Date.now() });
    server.state.addRepo({ owner: "acme", name: "shop", headSha: sha });
    client = new Octokit({ auth: "ghs_t", baseUrl: server.url });
  });
  afterAll(async () => {
    assertResponsesLikeGitHub(server);
    await server.stop();
  });

  it("fails the next N requests to a route with 500/502, then answers normally", async () => {
    server.faults.inject("POST /repos/{owner}/{repo}/check-runs", { kind: "status", status: 502 }, 2);
    await expect(client.request("POST /repos/{owner}/{repo}/check-runs", checkRun)).rejects.toMatchObject({
      status: 502,
    });
    server.faults.inject("repos/get", { kind: "status", status: 500 });
    await expect(client.request("GET /repos/{owner}/{repo}", repo)).rejects.toMatchObject({ status: 500 });
    await expect(client.request("POST /repos/{owner}/{repo}/check-runs", checkRun)).rejects.toMatchObject({
      status: 502,
    });
    expect((await client.request("POST /repos/{owner}/{repo}/check-runs", checkRun)).status).toBe(201);
    expect(server.state.checkRuns).toHaveLength(1);
  });

  it("plays a secondary rate limit that @octokit/plugin-throttling recognises, with retry-after", async () => {
    server.faults.inject("repos/get", { kind: "secondaryRateLimit", retryAfterSeconds: 7 });
    const seen: number[] = [];
    const Throttled = Octokit.plugin(throttling);
    const throttled = new Throttled({
      auth: "ghs_t",
      baseUrl: server.url,
      throttle: {
        onSecondaryRateLimit: (retryAfter: number) => {
          seen.push(retryAfter);
          return false;
        },
        onRateLimit: () => false,
      },
    });
    await expect(throttled.request("GET /repos/{owner}/{repo}", repo)).rejects.toMatchObject({
      status: 403,
      response: { headers: { "retry-after": "7" } },
    });
    expect(seen).toEqual([7]);
  });

  it("plays a primary rate limit (403 or 429) with x-ratelimit-remaining 0 and the reset time", async () => {
    server.faults.inject("repos/get", { kind: "primaryRateLimit", resetInSeconds: 120 });
    server.faults.inject("repos/get", { kind: "primaryRateLimit", status: 429 });
    for (const status of [403, 429]) {
      const error: unknown = await client.request("GET /repos/{owner}/{repo}", repo).catch((e: unknown) => e);
      expect(error).toMatchObject({ status, response: { headers: { "x-ratelimit-remaining": "0" } } });
    }
    expect(
      (await client.request("GET /repos/{owner}/{repo}", repo)).headers["x-ratelimit-remaining"],
    ).not.toBe("0");
  });

  it("delays a response so a client timeout fires", async () => {
    server.faults.inject("repos/get", { kind: "delay", ms: 2000 });
    const slow = client.request("GET /repos/{owner}/{repo}", {
      ...repo,
      request: { signal: AbortSignal.timeout(50) },
    });
    await expect(slow).rejects.toThrow();
  });

  it("applies a POST whose response is lost, so a caller must look before posting again", async () => {
    server.faults.inject("issues/create-comment", { kind: "lostResponse" });
    const body = "<!-- aether:preview -->\nPreview ready";
    await expect(
      client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...repo,
        issue_number: 3,
        body,
      }),
    ).rejects.toThrow();
    const { data } = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repo,
      issue_number: 3,
    });
    expect(data.map((c) => c.body)).toEqual([body]);
    expect(server.requests.find((r) => r.operationId === "issues/create-comment")?.status).toBe(-1);
    assertAllRequestsValid(server);
  });
});
