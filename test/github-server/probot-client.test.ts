import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../support/github/app-auth.ts";
import {
  assertAllRequestsValid,
  assertResponsesLikeGitHub,
} from "../support/github/assert-all-requests-valid.ts";
import { startGitHubServer, type GitHubTestServer } from "../support/github/start-github-server.ts";

const key = generateAppKey();
const repo = { owner: "acme", repo: "shop" };

// The clients the app gets from Probot: app JWT → installation token, with retry, throttling, pagination and config.
describe("Probot's Octokit against the GitHub test server", () => {
  let server: GitHubTestServer;
  let octokit: ProbotOctokit;

  beforeAll(async () => {
    server = await startGitHubServer({ app: { id: 99, privateKey: key.privateKey } });
    const { branches } = server.state.addRepo({ owner: "acme", name: "shop", installationId: 5 });
    server.state.setFiles("acme/shop", branches.get("main")!, {
      ".github/aether.yml": "apps:\n  web:\n    path: .\n",
    });
    const probot = new Probot({
      appId: 99,
      privateKey: key.privateKey,
      baseUrl: server.url,
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults({ retry: { retryAfterBaseValue: 1 } }),
    });
    octokit = await probot.auth(5);
  });
  afterAll(async () => {
    assertResponsesLikeGitHub(server);
    await server.stop();
  });

  it("authenticates as the installation through the app JWT and reads the config (raw media type)", async () => {
    const { config } = await octokit.config.get({ ...repo, path: ".github/aether.yml" });
    expect(config).toEqual({ apps: { web: { path: "." } } });
    expect(server.requests.map((r) => r.operationId).slice(0, 2)).toEqual([
      "apps/create-installation-access-token",
      "repos/get-content",
    ]);
  });

  it("retries a 502 (plugin-retry); Probot's default throttle options do NOT retry a secondary rate limit", async () => {
    server.faults.inject("repos/get", { kind: "status", status: 502 });
    expect((await octokit.rest.repos.get(repo)).status).toBe(200);
    server.faults.inject("repos/get", { kind: "secondaryRateLimit", retryAfterSeconds: 1 });
    await expect(octokit.rest.repos.get(repo)).rejects.toMatchObject({ status: 403 });
    const statuses = server.requests.filter((r) => r.operationId === "repos/get").map((r) => r.status);
    expect(statuses).toEqual([502, 200, 403]);
  });

  it("retries a secondary rate limit after retry-after when the client opts in, and paginates by Link", async () => {
    const token = server.tokens.mint(5, Date.now()).token;
    const client = new ProbotOctokit({
      auth: { token },
      baseUrl: server.url,
      throttle: { onSecondaryRateLimit: () => true, onRateLimit: () => true, retryAfterBaseValue: 1 },
    });
    server.faults.inject("issues/list-comments", { kind: "secondaryRateLimit", retryAfterSeconds: 2 });
    // Seeded directly: Probot's throttling spaces comment POSTs (they notify) three seconds apart.
    for (let i = 0; i < 7; i++) {
      server.state.comments.push({
        repo: "acme/shop",
        issueNumber: 1,
        id: server.state.id(),
        body: `c${i}`,
        user: "mona",
        createdAt: "2026-01-01T00:00:00Z",
        updatedAt: "2026-01-01T00:00:00Z",
      });
    }
    const all = await client.paginate(client.rest.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 3,
    });
    expect(all.map((c) => c.body)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    const listed = server.requests.filter((r) => r.operationId === "issues/list-comments");
    expect(listed.map((r) => [r.status, new URL(r.url, server.url).searchParams.get("page")])).toEqual([
      [403, null],
      [200, null],
      [200, "2"],
      [200, "3"],
    ]);
    assertAllRequestsValid(server);
  });
});
