import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewNames } from "../../core/previewdb/preview-names.ts";
import { commentMarker } from "../../core/report/preview-comment.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { startOidcIssuer, type OidcIssuer } from "../support/oidc-issuer.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import {
  checkRunAction,
  checkRunCompleted,
  pullRequestPayload,
  pushPayload,
  workflowRunCompleted,
} from "./payloads.ts";

let h: Harness;
let issuer: OidcIssuer;
const TOKEN = "tok_shop_0123456789abcdef";
const OTHER = "tok_other_0123456789abcdef";
const CONFIG = "version: 1\npreviews:\n  database:\n    engine: postgres\n";

beforeAll(async () => {
  issuer = await startOidcIssuer();
  h = await startHarness({ apiTokens: `acme/shop=${TOKEN},other/*=${OTHER}`, oidcIssuer: issuer.url });
});
afterAll(async () => {
  if (process.env["APP_TEST_LOG"]) {
    console.log(h?.logLines.join("\n"));
    const { execSync } = await import("node:child_process");
    console.log(
      execSync(`tail -n 20 ${h.targetDir}/envs/*/logs/* ${h.targetDir}/envs/*/supervisor.log`, {
        encoding: "utf8",
      }),
    );
  }
  await h?.stop();
  await issuer?.stop();
});

const statusesOf = (env: string) => {
  const ids = new Set(h.github.state.deployments.filter((d) => d.environment === env).map((d) => d.id));
  return h.github.state.deploymentStatuses.filter((s) => ids.has(s.deploymentId));
};
const body = async (url: string, path = "/") => (await fetch(new URL(path, url))).text();

describe("the app, end to end on the local target", () => {
  it("deploys a push to the default branch to production, with deployment statuses and a check run", async () => {
    const sha = shaOf("a1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "v1");
    expect((await h.deliver("push", pushPayload(sha))).status).toBe(202);
    const success = await waitFor("production success", () =>
      statusesOf("production").find((s) => s.state === "success"),
    );
    expect(success.environmentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(success.logUrl).toContain("/runs/");
    expect(await body(success.environmentUrl)).toBe("hello v1");
    expect(statusesOf("production").map((s) => s.state)).toEqual(["queued", "in_progress", "success"]);
    const run = h.github.state.checkRuns.find((r) => r.headSha === sha);
    expect(run).toMatchObject({
      name: "Aether · deploy production",
      status: "completed",
      conclusion: "success",
    });
    expect(run?.output.summary).toContain(`Live at ${success.environmentUrl}`);
    expect(run?.actions).toHaveLength(2);
    assertAllRequestsValid(h.github);
  });

  it("runs a delivery GitHub sends twice once", async () => {
    const sha = shaOf("a2");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "v2");
    const deliveryId = randomUUID();
    await h.deliver("push", pushPayload(sha), { deliveryId });
    await h.deliver("push", pushPayload(sha), { deliveryId });
    await waitFor("v2 live", () =>
      statusesOf("production").some(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === sha,
      ),
    );
    expect(h.github.state.deployments.filter((d) => d.sha === sha)).toHaveLength(1);
    expect(await h.query("SELECT id FROM aether_deploy_requests WHERE sha = $1", [sha])).toHaveLength(1);
    assertAllRequestsValid(h.github);
  });

  it("never deploys a push that arrives after a newer one: production stays at the branch's head", async () => {
    const older = shaOf("a1");
    const current = shaOf("a2");
    const served = statusesOf("production").findLast((s) => s.state === "success")!;
    // The first push's delivery again, late, under a new delivery id (as after an outage or out of order).
    await h.deliver("push", pushPayload(older), { late: true });
    const skipped = await waitFor("late push skipped", () =>
      h.github.state.checkRuns.find(
        (r) => r.headSha === older && r.status === "completed" && r.conclusion === "skipped",
      ),
    );
    expect(skipped.output.summary).toContain(
      `\`main\` moved from \`${older.slice(0, 7)}\` to \`${current.slice(0, 7)}\` before this push was deployed`,
    );
    expect(await body(served.environmentUrl!)).toBe("hello v2");
    const late = statusesOf("production").filter(
      (s) => h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === older,
    );
    expect(late.at(-1)?.state).toBe("inactive");
    assertAllRequestsValid(h.github);
  });

  it("rolls production back from the check run's Roll back button, and redeploys with Re-run", async () => {
    const sha = shaOf("a2");
    const run = h.github.state.checkRuns.find((r) => r.headSha === sha && r.conclusion === "success")!;
    h.github.state.setPermission(REPO, "mona", "write");
    await h.deliver(
      "check_run",
      checkRunAction({ externalId: run.externalId!, sha, identifier: "rollback", user: "mona" }),
    );
    const rolledBack = await waitFor("rollback done", async () => {
      const rows = await h.query<{ state: string; url: string | null }>(
        "SELECT state, url FROM aether_deploy_requests WHERE task = 'rollback'",
      );
      return rows[0]?.state === "success" ? rows[0] : undefined;
    });
    expect(await body(rolledBack.url!)).toBe("hello v1");
    // A reader's click does nothing.
    h.github.state.setPermission(REPO, "reader", "read");
    await h.deliver("check_run", checkRunAction({ externalId: run.externalId!, sha, user: "reader" }));
    await h.deliver("check_run", checkRunAction({ externalId: run.externalId!, sha, user: "mona" }));
    await waitFor("redeployed", async () => (await body(rolledBack.url!)) === "hello v2");
    expect(
      await h.query(
        "SELECT requested_by FROM aether_deploy_requests WHERE source = 'check_run' ORDER BY seq",
      ),
    ).toEqual([{ requested_by: "mona" }, { requested_by: "mona" }]);
    assertAllRequestsValid(h.github);
  });

  it("fails the check run of a commit whose .github/aether.yml is invalid, naming file and line", async () => {
    const sha = shaOf("invalid");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": "version: 1\nprevews: {}\n" });
    await h.deliver("push", pushPayload(sha));
    const run = await waitFor("failed check run", () =>
      h.github.state.checkRuns.find((r) => r.headSha === sha && r.status === "completed"),
    );
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain(
      `.github/aether.yml:2:1: (top level) unknown key "prevews" (did you mean "previews"?)`,
    );
    expect(h.github.state.deployments.filter((d) => d.sha === sha)).toEqual([]);
    assertAllRequestsValid(h.github);
  });

  it("refuses a forged delivery with 401 and queues nothing", async () => {
    const sha = shaOf("a3");
    const forged = await h.deliver("push", pushPayload(sha), { secret: "a-guessed-secret" });
    expect(forged.status).toBe(401);
    expect(await h.query("SELECT id FROM pgboss.job WHERE id = $1", [forged.deliveryId])).toEqual([]);
    expect(await h.query("SELECT id FROM aether_deploy_requests WHERE sha = $1", [sha])).toEqual([]);
    assertAllRequestsValid(h.github);
  });

  it("gives a pull request a preview with its own database and one sticky comment, updated on push, removed on close", async () => {
    const [sha1, sha2] = [shaOf("b1"), shaOf("b2")];
    for (const sha of [sha1, sha2]) h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    h.github.state.addPullRequest({ repo: REPO, number: 7, headSha: sha1 });
    await h.build(sha1, "pr-v1");
    await h.deliver("pull_request", pullRequestPayload("opened", 7, sha1));
    const marked = () =>
      h.github.state.comments.filter((c) => c.issueNumber === 7 && c.body.includes(commentMarker("pr-7")));
    const ready = await waitFor("preview ready", () =>
      marked().find((c) => c.body.includes("Preview ready") && c.body.includes(sha1.slice(0, 7))),
    );
    const url = /\((http:\/\/127\.0\.0\.1:\d+)\)/.exec(ready.body)?.[1];
    expect(url).toBeDefined();
    expect(await body(url!)).toBe("hello pr-v1");
    expect(await body(url!, "/db")).toBe("database");
    const { database, role } = previewNames({ repository: REPO, env: "pr-7" });
    expect(await h.query("SELECT datname FROM pg_database WHERE datname = $1", [database])).toHaveLength(1);
    expect(ready.body).toContain(database);
    expect(ready.body).toMatch(
      /Response time after rollout\*\*: p50 \d+ ms · p95 \d+ ms — production p50 \d+ ms/,
    );

    await h.build(sha2, "pr-v2");
    await h.deliver("pull_request", pullRequestPayload("synchronize", 7, sha2));
    await waitFor("comment updated", () =>
      marked().find((c) => c.body.includes("Preview ready") && c.body.includes(sha2.slice(0, 7))),
    );
    expect(marked()).toHaveLength(1);
    expect(marked()[0]!.id).toBe(ready.id);
    expect(await body(url!)).toBe("hello pr-v2");

    await h.deliver("pull_request", pullRequestPayload("closed", 7, sha2));
    await waitFor("comment says removed", () => marked().find((c) => c.body.includes("removed")));
    expect(marked()).toHaveLength(1);
    expect(await h.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).toEqual([]);
    expect(await h.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).toEqual([]);
    await expect(fetch(url!)).rejects.toThrow();
    const previews = h.github.state.deployments.filter((d) => d.environment === "pr-7");
    expect(previews).toHaveLength(2);
    for (const deployment of previews) {
      const last = h.github.state.deploymentStatuses.filter((s) => s.deploymentId === deployment.id).at(-1);
      expect(last?.state).toBe("inactive");
    }
    assertAllRequestsValid(h.github);
  });

  it("gives a fork's pull request no preview unless the repository opts in", async () => {
    const sha = shaOf("c1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const { deliveryId } = await h.deliver(
      "pull_request",
      pullRequestPayload("opened", 8, sha, { fork: true }),
    );
    await waitFor(
      "delivery handled",
      async () =>
        (await h.query("SELECT state FROM pgboss.job WHERE id = $1", [deliveryId]))[0]?.["state"] ===
        "completed",
    );
    expect(await h.query("SELECT id FROM aether_deploy_requests WHERE env = 'pr-8'")).toEqual([]);
    expect(h.github.state.comments.filter((c) => c.issueNumber === 8)).toEqual([]);
    assertAllRequestsValid(h.github);
  });

  it("refuses /deploy from a user with read access, saying why, and deploys nothing", async () => {
    const sha = shaOf("d1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    h.github.state.addPullRequest({ repo: REPO, number: 9, headSha: sha });
    h.github.state.setPermission(REPO, "reader", "read");
    await h.build(sha, "d1");
    const commentId = await h.comment({ pr: 9, user: "reader", body: "/deploy" });
    const reply = await waitFor("refusal", () =>
      h.github.state.comments.find((c) => c.issueNumber === 9 && c.body.includes("needs write access")),
    );
    expect(reply.body).toContain("@reader needs write access to deploy to **pr-9** (has: read)");
    expect(h.github.state.reactions.filter((r) => r.commentId === commentId).map((r) => r.content)).toEqual([
      "eyes",
      "-1",
    ]);
    expect(h.github.state.deployments.filter((d) => d.environment === "pr-9")).toEqual([]);
    expect(await h.query("SELECT id FROM aether_deploy_requests WHERE env = 'pr-9'")).toEqual([]);
    assertAllRequestsValid(h.github);
  });

  it("never deploys a commit pushed between the /deploy comment and the rollout", async () => {
    const [pinned, pushed] = [shaOf("e1"), shaOf("e2")];
    for (const sha of [pinned, pushed]) h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const pull = h.github.state.addPullRequest({ repo: REPO, number: 10, headSha: pinned });
    h.github.state.setPermission(REPO, "mona", "write");
    // The build of the pinned commit is not in the store yet: the request waits for it.
    await h.comment({ pr: 10, user: "mona", body: "/deploy" });
    await waitFor("accepted", () =>
      h.github.state.comments.find((c) => c.issueNumber === 10 && c.body.includes("Deploying")),
    );
    await waitFor(
      "waiting for the build",
      async () =>
        (await h.query("SELECT state FROM aether_deploy_requests WHERE env = 'pr-10'"))[0]?.["state"] ===
        "waiting-artifact",
    );
    pull.headSha = pushed;
    await h.build(pinned, "e1");
    await h.deliver("workflow_run", workflowRunCompleted(pinned));
    const refusal = await waitFor("refusal", () =>
      h.github.state.comments.find((c) => c.issueNumber === 10 && c.body.includes("moved from")),
    );
    expect(refusal.body).toContain(`\`${pinned.slice(0, 7)}\` to \`${pushed.slice(0, 7)}\``);
    expect(h.github.state.deployments.filter((d) => d.environment === "pr-10")).toEqual([]);
    expect(await h.query("SELECT state FROM aether_deploy_requests WHERE env = 'pr-10'")).toEqual([
      { state: "refused" },
    ]);
    assertAllRequestsValid(h.github);
  });

  it("holds deploys to a locked environment for everyone but the lock's owner until /unlock", async () => {
    const sha = shaOf("f1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    h.github.state.addPullRequest({ repo: REPO, number: 11, headSha: sha });
    h.github.state.setPermission(REPO, "carol", "write");
    h.github.state.setPermission(REPO, "dave", "write");
    await h.build(sha, "f1");
    const say = async (user: string, text: string) =>
      h.replyTo(await h.comment({ pr: 11, user, body: text }));
    expect((await say("carol", "/lock production --reason release freeze")).body).toContain(
      "🔒 **production** is locked by @carol: 'release freeze'",
    );
    const refused = await say("dave", "/deploy to production");
    expect(refused.body).toContain(
      "**production** is locked by @carol: 'release freeze'. `/unlock production` to release it.",
    );
    expect((await say("dave", "/unlock production")).body).toContain("🔓 **production** is unlocked.");
    expect((await say("dave", "/deploy to production")).body).toContain(
      `Deploying \`${sha.slice(0, 7)}\` to **production** (requested by @dave)`,
    );
    const done = await waitFor("deployed reply", () =>
      h.github.state.comments.find((c) => c.issueNumber === 11 && c.body.includes("🚀 Deployed")),
    );
    expect(done.body).toContain(`to **production** (requested by @dave)`);
    assertAllRequestsValid(h.github);
  });

  it("takes deploys through the API with a scoped bearer token and reports their state", async () => {
    const sha = shaOf("g1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const digest = await h.build(sha, "g1");
    const post = (token: string, payload: unknown) =>
      fetch(`${h.app.url}/api/v1/deployments`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
    const request = { repository: REPO, sha, digest, environment: "staging" };
    expect((await post("tok_wrong_0123456789abcdef", request)).status).toBe(401);
    expect((await post(OTHER, request)).status).toBe(401);
    expect((await post(TOKEN, { ...request, sha: "abc" })).status).toBe(422);
    const accepted = await post(TOKEN, request);
    expect(accepted.status).toBe(202);
    const { id, statusUrl } = (await accepted.json()) as { id: string; statusUrl: string };
    expect(statusUrl).toBe(`${h.app.url}/api/v1/deployments/${id}`);
    const get = async (token: string) => fetch(statusUrl, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(OTHER)).status).toBe(404);
    const final = await waitFor("api deploy done", async () => {
      const state = (await (await get(TOKEN)).json()) as { state: string; url?: string };
      return state.state === "success" || state.state === "failure" ? state : undefined;
    });
    expect(final.state).toBe("success");
    await waitFor("staging success on GitHub", () =>
      statusesOf("staging").find((s) => s.state === "success" && s.environmentUrl === final.url),
    );
    expect(await body(final.url!)).toBe("hello g1");
    assertAllRequestsValid(h.github);
  });

  it("takes a GitHub Actions job's OIDC token for its own repository, and for production only from that environment", async () => {
    const sha = shaOf("o1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const digest = await h.build(sha, "o1");
    const audience = new URL(h.app.url).origin;
    const post = (token: string, environment: string) =>
      fetch(`${h.app.url}/api/v1/deployments`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ repository: REPO, sha, digest, environment }),
      });
    const job = (claims: Record<string, unknown>) =>
      issuer.token({ aud: audience, repository: REPO, ref: "refs/heads/main", ...claims });
    expect((await post(job({ repository: "evil/fork" }), "staging")).status).toBe(401);
    expect((await post(job({ aud: "https://elsewhere.example.com" }), "staging")).status).toBe(401);
    // Production only from a job that ran in GitHub's `production` environment (its protection rules passed).
    expect((await post(job({}), "production")).status).toBe(401);
    expect((await post(job({ environment: "staging" }), "production")).status).toBe(401);
    const token = job({ environment: "qa" });
    const accepted = await post(token, "qa");
    expect(accepted.status).toBe(202);
    const { statusUrl } = (await accepted.json()) as { statusUrl: string };
    const final = await waitFor("oidc deploy done", async () => {
      const response = await fetch(statusUrl, { headers: { authorization: `Bearer ${token}` } });
      const state = (await response.json()) as { state: string; url?: string };
      return state.state === "success" || state.state === "failure" ? state : undefined;
    });
    expect(final.state).toBe("success");
    expect(await body(final.url!)).toBe("hello o1");
    const stranger = issuer.token({ aud: audience, repository: "other/app" });
    expect((await fetch(statusUrl, { headers: { authorization: `Bearer ${stranger}` } })).status).toBe(404);
    expect(h.logLines.join("\n")).toContain("OIDC token refused: audience is not");
    assertAllRequestsValid(h.github);
  });

  it("deploys production only once the required checks passed on the commit", async () => {
    const gated = "version: 1\nenvironments:\n  production:\n    requiredChecks: [test]\n";
    const [red, green] = [shaOf("h1"), shaOf("h2")];
    for (const sha of [red, green]) {
      h.github.state.setFiles(REPO, sha, { ".github/aether.yml": gated });
      await h.build(sha, sha === red ? "red" : "green");
    }
    const stateOf = async (sha: string) =>
      (await h.query<{ state: string }>("SELECT state FROM aether_deploy_requests WHERE sha = $1", [sha]))[0]
        ?.state;
    await h.deliver("push", pushPayload(red));
    await waitFor("waiting for the check", async () => (await stateOf(red)) === "waiting-artifact");
    h.github.state.addCheckRun({ repo: REPO, headSha: red, name: "test", conclusion: "failure" });
    await h.deliver("check_run", checkRunCompleted(red, "test"));
    await waitFor("refused on the failed check", async () => (await stateOf(red)) === "failure");
    const redRun = h.github.state.checkRuns.find((r) => r.headSha === red && r.name.startsWith("Aether"));
    expect(redRun).toMatchObject({ conclusion: "failure" });
    expect(redRun?.output.summary).toContain("Required check `test` did not pass");
    expect(statusesOf("production").at(-1)?.state).toBe("failure");

    h.github.state.addCheckRun({ repo: REPO, headSha: green, name: "test", conclusion: "success" });
    await h.deliver("push", pushPayload(green));
    const live = await waitFor("green deployed", () =>
      statusesOf("production").find(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === green,
      ),
    );
    expect(await body(live.environmentUrl)).toBe("hello green");
    assertAllRequestsValid(h.github);
  });
});
