import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { checkRunAction, pushPayload } from "./payloads.ts";

// GitHub environment protection (required reviewers, branch policies, wait timer) enforced by the app for
// pushes, PR commands and check run buttons; the test GitHub answers the environments API.
let h: Harness;
const CONFIG = [
  "version: 1",
  "environments:",
  ...["production", "staging", "qa", "canary", "timed"].map((env) => `  ${env}:\n    requiredChecks: []`),
  "",
].join("\n");

beforeAll(async () => {
  h = await startHarness();
  for (const user of ["dave", "eve", "carol", "frank", "alice"])
    h.github.state.setPermission(REPO, user, "write");
  h.github.state.environments.addTeamMember("acme", "release", "frank");
});
afterEach(() => {
  h.github.faults.clear();
  h.github.state.environments.environments.clear();
});
afterAll(async () => {
  if (process.env["APP_TEST_LOG"]) console.log(h?.logLines.join("\n"));
  await h?.stop();
});

interface Row {
  id: string;
  state: string;
  sha: string;
  approved_by: string | null;
  message: string | null;
  not_before: Date | null;
}
const requestsOf = (env: string) =>
  h.query<Row>(
    "SELECT id, state, sha, approved_by, message, not_before FROM aether_deploy_requests WHERE env = $1 ORDER BY seq",
    [env],
  );
const lastRequest = async (env: string) => (await requestsOf(env)).at(-1);
const stateIs = (env: string, state: string) => async () => (await lastRequest(env))?.state === state;
const deploymentsOf = (env: string) => h.github.state.deployments.filter((d) => d.environment === env);
const statusesOf = (env: string) => {
  const ids = new Set(deploymentsOf(env).map((d) => d.id));
  return h.github.state.deploymentStatuses.filter((s) => ids.has(s.deploymentId));
};
const runOf = (sha: string, env: string) =>
  h.github.state.checkRuns.find((r) => r.headSha === sha && r.name === `Aether · deploy ${env}`);
const body = async (url: string) => (await fetch(url)).text();

/** A pull request at a built commit whose config has the test environments. */
async function pullRequest(pr: number, version: string): Promise<string> {
  const sha = shaOf(`env-protection-${pr}-${version}`);
  h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
  h.github.state.addPullRequest({ repo: REPO, number: pr, headSha: sha });
  await h.build(sha, version);
  return sha;
}

/** `user` comments `text` on `pr`; resolves with the app's reply of `kind` to it. */
async function command(pr: number, user: string, text: string, kind: string) {
  return h.replyTo(await h.comment({ pr, user, body: text }), kind);
}

async function clickApprove(sha: string, env: string, user: string) {
  const run = runOf(sha, env)!;
  await h.deliver(
    "check_run",
    checkRunAction({ externalId: run.externalId!, sha, identifier: "approve", user }),
  );
}

describe("GitHub environment protection", () => {
  it("refuses a /deploy from a branch the environment's branch policies do not allow, deploying nothing", async () => {
    h.github.state.environments.set(REPO, "staging", { branchPolicy: ["main", "release/*"] });
    await pullRequest(21, "bp");
    const refusal = await command(21, "dave", "/deploy to staging", "refused");
    expect(refusal.body).toContain(
      "The GitHub environment **staging** only takes deploys from branches matching `main`, `release/*`; `topic-21` is not one of them. Nothing was deployed.",
    );
    expect(deploymentsOf("staging")).toEqual([]);
    expect((await lastRequest("staging"))?.state).toBe("refused");
    assertAllRequestsValid(h.github);
  });

  it("holds a /deploy by a non-reviewer until a reviewer approves, ignores others' Approve, then deploys the pinned commit", async () => {
    h.github.state.environments.set(REPO, "production", { reviewers: { users: ["alice"] } });
    const sha = await pullRequest(22, "approved");
    const waiting = await command(22, "dave", "/deploy to production", "waiting-approval");
    expect(waiting.body).toContain(
      `Deploying \`${sha.slice(0, 7)}\` to **production** waits for approval by @alice`,
    );
    await waitFor("waiting-approval", stateIs("production", "waiting-approval"));
    const run = runOf(sha, "production")!;
    expect(run.output.title).toBe("Waiting for approval by @alice");
    expect(run.actions).toEqual([expect.objectContaining({ identifier: "approve", label: "Approve" })]);
    expect(statusesOf("production").map((s) => s.state)).toEqual(["queued", "queued"]);

    await clickApprove(sha, "production", "eve");
    await waitFor("eve's click noted", () => runOf(sha, "production")?.output.text?.includes("Not approved"));
    expect(runOf(sha, "production")?.output.text).toContain("@eve is not a required reviewer (@alice)");
    expect((await lastRequest("production"))?.state).toBe("waiting-approval");

    await clickApprove(sha, "production", "alice");
    const live = await waitFor("production success", () =>
      statusesOf("production").find((s) => s.state === "success"),
    );
    expect(deploymentsOf("production").map((d) => d.sha)).toEqual([sha]);
    expect(await body(live.environmentUrl)).toBe("hello approved");
    expect(await lastRequest("production")).toMatchObject({ state: "success", sha, approved_by: "alice" });
    expect(runOf(sha, "production")?.actions).toHaveLength(2);
    assertAllRequestsValid(h.github);
  });

  it("does not let the asker approve their own deploy when self-review is prevented; a team member may", async () => {
    h.github.state.environments.set(REPO, "qa", {
      reviewers: { users: ["carol"], teams: ["release"], preventSelfReview: true },
    });
    const sha = await pullRequest(23, "self");
    const waiting = await command(23, "carol", "/deploy to qa", "waiting-approval");
    expect(waiting.body).toContain("waits for approval by @carol, team release");
    expect(waiting.body).toContain("@carol cannot approve their own request");
    await waitFor("waiting-approval", stateIs("qa", "waiting-approval"));
    await clickApprove(sha, "qa", "carol");
    await waitFor("self-approval noted", () =>
      runOf(sha, "qa")?.output.text?.includes("prevents self-review"),
    );
    expect((await lastRequest("qa"))?.state).toBe("waiting-approval");
    expect(h.logLines.join("\n")).toContain("by @carol ignored: @carol asked for this deploy");

    await clickApprove(sha, "qa", "frank");
    await waitFor("qa success", () => statusesOf("qa").find((s) => s.state === "success"));
    expect(await lastRequest("qa")).toMatchObject({ sha, approved_by: "frank" });
    assertAllRequestsValid(h.github);
  });

  it("lets a reviewer's own /deploy go straight through", async () => {
    h.github.state.environments.set(REPO, "canary", { reviewers: { teams: ["release"] } });
    const sha = await pullRequest(24, "reviewer");
    const done = await command(24, "frank", "/deploy to canary", "success");
    expect(done.body).toContain(`🚀 Deployed \`${sha.slice(0, 7)}\` to **canary**`);
    expect(
      h.github.state.comments.some((c) => c.issueNumber === 24 && c.body.includes("waits for approval")),
    ).toBe(false);
    expect(statusesOf("canary").map((s) => s.state)).toEqual(["queued", "in_progress", "success"]);
    assertAllRequestsValid(h.github);
  });

  it("holds a push to production with required reviewers until one approves (the pusher never counts)", async () => {
    h.github.state.environments.set(REPO, "production", { reviewers: { users: ["alice", "octocat"] } });
    const sha = shaOf("env-protection-push");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "pushed");
    await h.deliver("push", pushPayload(sha));
    await waitFor(
      "push waits",
      async () =>
        (await lastRequest("production"))?.sha === sha && (await stateIs("production", "waiting-approval")()),
    );
    expect(runOf(sha, "production")?.output.title).toBe("Waiting for approval by @alice, @octocat");
    await clickApprove(sha, "production", "alice");
    const live = await waitFor("pushed commit live", () =>
      statusesOf("production").find(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === sha,
      ),
    );
    expect(await body(live.environmentUrl)).toBe("hello pushed");
    assertAllRequestsValid(h.github);
  });

  it("starts a deploy no earlier than the environment's wait timer, through a delayed queue job", async () => {
    h.github.state.environments.set(REPO, "timed", { waitTimerMinutes: 1 });
    const sha = await pullRequest(25, "timed");
    const asked = Date.now();
    const waiting = await command(25, "dave", "/deploy to timed", "waiting-timer");
    expect(waiting.body).toContain("has a wait timer of 1 min");
    await waitFor("waiting-timer", stateIs("timed", "waiting-timer"));
    const request = (await lastRequest("timed"))!;
    const notBefore = request.not_before!.getTime();
    expect(notBefore).toBeGreaterThanOrEqual(asked + 60_000);
    expect(notBefore).toBeLessThan(Date.now() + 60_000);
    expect(runOf(sha, "timed")?.output.title).toContain("Starts at");
    const jobs = await h.query<{ start_after: Date }>(
      "SELECT start_after FROM pgboss.job WHERE data->>'requestId' = $1 AND state = 'created'",
      [request.id],
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.start_after.getTime()).toBe(notBefore);
    expect(deploymentsOf("timed").map((d) => d.sha)).toEqual([sha]);
    expect(statusesOf("timed").some((s) => s.state === "in_progress")).toBe(false);

    // A minute later, as far as the app and the queue can tell: the worker's next poll picks the due job up
    // (nothing NOTIFYs a delayed job; the app polls at its own pace, not pg-boss's 30 s backstop).
    await h.query(
      "UPDATE aether_deploy_requests SET not_before = now() - interval '1 second' WHERE id = $1",
      [request.id],
    );
    await h.query(
      "UPDATE pgboss.job SET start_after = now() WHERE data->>'requestId' = $1 AND state = 'created'",
      [request.id],
    );
    await waitFor("timed success", () => statusesOf("timed").find((s) => s.state === "success"));
    assertAllRequestsValid(h.github);
  });

  it("checks again before rollout: a branch policy added while a request waited for approval refuses it", async () => {
    h.github.state.environments.set(REPO, "staging", { reviewers: { users: ["alice"] } });
    const sha = await pullRequest(26, "changed");
    await command(26, "dave", "/deploy to staging", "waiting-approval");
    await waitFor("waiting-approval", stateIs("staging", "waiting-approval"));
    h.github.state.environments.set(REPO, "staging", {
      reviewers: { users: ["alice"] },
      branchPolicy: ["main"],
    });
    await clickApprove(sha, "staging", "alice");
    await waitFor("refused at rollout", stateIs("staging", "failure"));
    const run = runOf(sha, "staging")!;
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run.output.summary).toContain("`topic-26` is not one of them");
    expect(statusesOf("staging").map((s) => s.state)).toEqual(["queued", "queued", "failure"]);
    const answer = await waitFor("failure answer", () =>
      h.github.state.comments.find((c) => c.issueNumber === 26 && c.body.includes("kind=failure")),
    );
    expect(answer.body).toContain("only takes deploys from branches matching `main`");
    assertAllRequestsValid(h.github);
  });

  it("takes pushes to an environment of protected branches only once the branch is protected", async () => {
    h.github.state.environments.set(REPO, "production", { branchPolicy: "protected" });
    const [first, second] = [shaOf("env-protection-unprotected"), shaOf("env-protection-protected")];
    for (const sha of [first, second]) {
      h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
      await h.build(sha, sha === first ? "unprotected-branch" : "protected-branch");
    }
    await h.deliver("push", pushPayload(first));
    await waitFor(
      "refused",
      async () =>
        (await lastRequest("production"))?.sha === first && (await stateIs("production", "failure")()),
    );
    expect(runOf(first, "production")?.output.summary).toContain(
      "The GitHub environment **production** only takes deploys from protected branches; `main` is not one of them.",
    );
    h.github.state.environments.protectBranch(REPO, "main");
    await h.deliver("push", pushPayload(second));
    await waitFor("protected branch live", () =>
      statusesOf("production").find(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === second,
      ),
    );
    assertAllRequestsValid(h.github);
  });

  it("replaces a request still waiting for approval with a newer one for the same environment", async () => {
    h.github.state.environments.set(REPO, "canary", { reviewers: { users: ["alice"] } });
    const first = await pullRequest(27, "held-first");
    await command(27, "dave", "/deploy to canary", "waiting-approval");
    await waitFor("first held", stateIs("canary", "waiting-approval"));
    const second = await pullRequest(28, "held-second");
    await command(28, "dave", "/deploy to canary", "waiting-approval");
    const superseded = await waitFor("first replaced", async () =>
      (await requestsOf("canary")).find((r) => r.sha === first && r.state === "superseded"),
    );
    expect(runOf(first, "canary")).toMatchObject({ status: "completed", conclusion: "skipped" });
    await clickApprove(first, "canary", "alice");
    await clickApprove(second, "canary", "alice");
    const live = await waitFor("second live", () =>
      statusesOf("canary").find(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === second,
      ),
    );
    expect(await body(live.environmentUrl)).toBe("hello held-second");
    expect(h.logLines.join("\n")).toContain(`approval of deploy request ${superseded.id}`);
    assertAllRequestsValid(h.github);
  });

  it("deploys as before when the repository has no GitHub environment of that name (404)", async () => {
    const sha = shaOf("env-protection-none");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "unprotected");
    await h.deliver("push", pushPayload(sha));
    await waitFor("unprotected live", () =>
      statusesOf("production").find(
        (s) =>
          s.state === "success" &&
          h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === sha,
      ),
    );
    expect(h.github.requests.some((r) => r.operationId === "repos/get-environment" && r.status === 404)).toBe(
      true,
    );
    assertAllRequestsValid(h.github);
  });

  it("fails closed, saying why, when GitHub cannot tell the environment's protection", async () => {
    h.github.state.environments.set(REPO, "production", {});
    h.github.faults.inject("repos/get-environment", { kind: "status", status: 500 }, 20);
    const sha = shaOf("env-protection-500");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "unchecked");
    await h.deliver("push", pushPayload(sha));
    const run = await waitFor("failed check run", () => {
      const found = runOf(sha, "production");
      return found?.status === "completed" ? found : undefined;
    });
    await waitFor("request failed", stateIs("production", "failure"));
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Environment protection could not be checked");
    expect(run.output.summary).toContain(
      "The protection rules of the GitHub environment **production** could not be checked",
    );
    expect(run.output.summary).toContain("HTTP 500");
    expect(
      statusesOf("production")
        .filter((s) => deploymentsOf("production").find((d) => d.id === s.deploymentId)?.sha === sha)
        .map((s) => s.state),
    ).toEqual(["queued", "failure"]);
    assertAllRequestsValid(h.github);
  });

  it("was answered like GitHub documents the environments, branches and team membership endpoints", () => {
    const mine = [
      "repos/get-environment",
      "repos/list-deployment-branch-policies",
      "repos/get-branch",
      "teams/get-membership-for-user-in-org",
    ];
    const answered = h.github.requests.filter((r) => mine.includes(r.operationId ?? ""));
    expect(new Set(answered.map((r) => r.operationId))).toEqual(new Set(mine));
    expect(answered.flatMap((r) => r.responseProblems)).toEqual([]);
  });
});
