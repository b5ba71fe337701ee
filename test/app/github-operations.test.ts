import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckRunOutputFixture } from "./check-run-fixture.ts";
import { createGitHubClients, type GitHubClients } from "../../app/github/github-client.ts";
import { ensureCheckRun, updateCheckRun } from "../../app/github/check-runs.ts";
import { reactToComment, replyToCommand } from "../../app/github/comment-replies.ts";
import {
  deactivateEnvironment,
  ensureDeployment,
  setDeploymentStatus,
} from "../../app/github/deployments.ts";
import { getPermission } from "../../app/github/get-permission.ts";
import { readRepoConfig } from "../../app/github/read-repo-config.ts";
import { upsertStickyComment } from "../../app/github/upsert-sticky-comment.ts";
import {
  assertAllRequestsValid,
  generateAppKey,
  startGitHubServer,
  type GitHubTestServer,
} from "../support/github/index.ts";
import { shaOf } from "./app-harness.ts";

const key = generateAppKey();
const REPO = "acme/shop";
let server: GitHubTestServer;
let clients: GitHubClients;
let throttled: GitHubClients;
let clock = Date.now();

beforeAll(async () => {
  server = await startGitHubServer({ app: { id: 31, privateKey: key.privateKey } });
  server.state.addRepo({ owner: "acme", name: "shop", installationId: 5 });
  const common = {
    appId: 31,
    privateKey: key.privateKey,
    baseUrl: server.url,
    retryBaseMs: 1,
    now: () => clock,
  };
  // Pacing off for most tests (comment POSTs would wait 3 s each) …
  clients = createGitHubClients({ ...common, throttle: { enabled: false } });
  // … on for the rate-limit test, with its waits in milliseconds instead of seconds.
  throttled = createGitHubClients({ ...common, throttle: { enabled: true, retryAfterBaseValueMs: 5 } });
});
afterAll(async () => {
  assertAllRequestsValid(server);
  await server.stop();
});

const ops = (name: string) => server.requests.filter((r) => r.operationId === name);

describe("the app's GitHub client", () => {
  it("authenticates as the installation and mints a new token before the old one expires", async () => {
    const gh = clients.forInstallation(5);
    await gh.rest.repos.get({ owner: "acme", repo: "shop" });
    await gh.rest.repos.get({ owner: "acme", repo: "shop" });
    expect(ops("apps/create-installation-access-token")).toHaveLength(1);
    // 56 minutes on: GitHub's token has 4 minutes left, inside the 5-minute margin, so a new one is minted.
    clock += 56 * 60 * 1000;
    await clients.forInstallation(5).rest.repos.get({ owner: "acme", repo: "shop" });
    expect(ops("apps/create-installation-access-token")).toHaveLength(2);
    expect(await clients.installationOf(REPO)).toBe(5);
  });

  it("waits out a secondary rate limit (retry-after) and retries 5xx", async () => {
    const gh = throttled.forInstallation(5);
    server.faults.inject("repos/get", { kind: "secondaryRateLimit", retryAfterSeconds: 1 });
    server.faults.inject("repos/get", { kind: "status", status: 502 });
    expect((await gh.rest.repos.get({ owner: "acme", repo: "shop" })).status).toBe(200);
    expect(
      ops("repos/get")
        .slice(-3)
        .map((r) => r.status),
    ).toEqual([403, 502, 200]);
  });

  it("reads .github/aether.yml at a commit with the raw media type, and defaults when it is absent", async () => {
    const gh = clients.forInstallation(5);
    const sha = shaOf("config");
    server.state.setFiles(REPO, sha, { ".github/aether.yml": "version: 1\napps:\n  web:\n    path: web\n" });
    const read = await readRepoConfig(gh, { repository: REPO, sha });
    expect(read.ok && Object.keys(read.config.apps)).toEqual(["web"]);
    const bad = shaOf("bad-config");
    server.state.setFiles(REPO, bad, { ".github/aether.yml": "version: 1\nprevews: {}\n" });
    const invalid = await readRepoConfig(gh, { repository: REPO, sha: bad });
    expect(invalid.ok ? "" : invalid.message).toContain(".github/aether.yml:2:1");
    const none = await readRepoConfig(gh, { repository: REPO, sha: shaOf("no-config") });
    expect(none.ok && Object.keys(none.config.environments)).toEqual(["production"]);
  });

  it("reads a user's permission from the API, maintain and triage included", async () => {
    const gh = clients.forInstallation(5);
    server.state.setPermission(REPO, "maya", "maintain");
    server.state.setPermission(REPO, "tim", "triage");
    expect(await getPermission(gh, { repository: REPO, user: "maya" })).toBe("maintain");
    expect(await getPermission(gh, { repository: REPO, user: "tim" })).toBe("triage");
    expect(await getPermission(gh, { repository: REPO, user: "stranger" })).toBe("none");
  });

  it("finds the sticky comment by its marker after a lost response instead of posting twice", async () => {
    const gh = clients.forInstallation(5);
    const marker = "<!-- aether:comment env=pr-3 -->";
    server.faults.inject("issues/create-comment", { kind: "lostResponse" });
    await expect(
      upsertStickyComment(gh, { repository: REPO, issueNumber: 3, marker, body: `${marker}\nfirst` }),
    ).rejects.toThrow();
    const again = await upsertStickyComment(gh, {
      repository: REPO,
      issueNumber: 3,
      marker,
      body: `${marker}\nsecond`,
    });
    expect(again.created).toBe(false);
    const marked = server.state.comments.filter((c) => c.body.includes(marker));
    expect(marked.map((c) => c.body)).toEqual([`${marker}\nsecond`]);
    expect(ops("issues/create-comment")).toHaveLength(1);
  });

  it("creates one deployment per request (found again by its payload) with statuses, then marks it inactive", async () => {
    const gh = clients.forInstallation(5);
    const sha = shaOf("deploy");
    const request = {
      repository: REPO,
      sha,
      environment: "staging",
      requestId: "req-1",
      description: "deploy",
      transient: false,
      production: false,
    };
    server.faults.inject("repos/create-deployment", { kind: "lostResponse" });
    await expect(ensureDeployment(gh, request)).rejects.toThrow();
    const id = await ensureDeployment(gh, request);
    expect(server.state.deployments.filter((d) => d.sha === sha).map((d) => d.id)).toEqual([id]);
    for (const state of ["queued", "in_progress"] as const)
      await setDeploymentStatus(gh, { repository: REPO, deploymentId: id, state });
    await setDeploymentStatus(gh, {
      repository: REPO,
      deploymentId: id,
      state: "success",
      environmentUrl: "http://127.0.0.1:4100",
      logUrl: "https://github.com/acme/shop/runs/1",
    });
    expect(await deactivateEnvironment(gh, { repository: REPO, environment: "staging" })).toBe(1);
    const states = server.state.deploymentStatuses.filter((s) => s.deploymentId === id);
    expect(states.map((s) => s.state)).toEqual(["queued", "in_progress", "success", "inactive"]);
    expect(states[2]).toMatchObject({
      environmentUrl: "http://127.0.0.1:4100",
      logUrl: "https://github.com/acme/shop/runs/1",
    });
  });

  it("creates one check run per request and finishes it with the Roll back and Redeploy buttons", async () => {
    const gh = clients.forInstallation(5);
    const sha = shaOf("check");
    const request = {
      repository: REPO,
      sha,
      name: "Aether · deploy production",
      requestId: "req-2",
      title: "Deploying",
    };
    const first = await ensureCheckRun(gh, request);
    expect((await ensureCheckRun(gh, request)).id).toBe(first.id);
    await updateCheckRun(gh, {
      repository: REPO,
      checkRunId: first.id,
      render: createCheckRunOutputFixture(sha),
    });
    const run = server.state.checkRuns.find((r) => r.id === first.id);
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run?.actions.map((a) => (a as { identifier: string }).identifier)).toEqual([
      "rollback",
      "redeploy",
    ]);
  });

  it("reacts to a command and answers it once, even when the job runs again", async () => {
    const gh = clients.forInstallation(5);
    const at = server.state.timestamp();
    const commentId = server.state.id();
    server.state.comments.push({
      repo: REPO,
      issueNumber: 4,
      id: commentId,
      body: "/deploy",
      user: "mona",
      createdAt: at,
      updatedAt: at,
    });
    await reactToComment(gh, { repository: REPO, commentId, content: "eyes" });
    const reply = { repository: REPO, issueNumber: 4, commentId, kind: "accepted", body: "Deploying" };
    await replyToCommand(gh, reply);
    await replyToCommand(gh, reply);
    expect(server.state.reactions.filter((r) => r.commentId === commentId).map((r) => r.content)).toEqual([
      "eyes",
    ]);
    expect(
      server.state.comments.filter((c) => c.issueNumber === 4 && c.body.includes("Deploying")),
    ).toHaveLength(1);
  });
});
