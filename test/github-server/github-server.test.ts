import { Octokit } from "@octokit/core";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertAllRequestsValid,
  assertResponsesLikeGitHub,
} from "../support/github/assert-all-requests-valid.ts";
import { fakeSha } from "../support/github/github-state.ts";
import { loadOpenApiIndex } from "../support/github/openapi-spec.ts";
import { startGitHubServer, type GitHubTestServer } from "../support/github/start-github-server.ts";

const RestOctokit = Octokit.plugin(restEndpointMethods);
const repo = { owner: "acme", repo: "shop" };
const sha = fakeSha("c0ffee");

describe("the GitHub API test server", () => {
  let server: GitHubTestServer;
  let octokit: InstanceType<typeof RestOctokit>;

  beforeAll(async () => {
    const index = loadOpenApiIndex();
    console.log(`@octokit/openapi ${index.version}: loaded and indexed in ${index.loadMs.toFixed(0)} ms`);
    server = await startGitHubServer();
    server.tokens.add("ghs_test", { nowMs: Date.now() });
    server.state.addRepo({ owner: "acme", name: "shop", headSha: sha });
    octokit = new RestOctokit({ auth: "ghs_test", baseUrl: server.url });
  });
  afterAll(async () => {
    // Every answer the server built in this file has GitHub's documented field types.
    assertResponsesLikeGitHub(server);
    await server.stop();
  });

  it("stores a valid check run, answers like GitHub and records no problem", async () => {
    const created = await octokit.rest.checks.create({
      ...repo,
      name: "aether / production",
      head_sha: sha,
      status: "in_progress",
      output: { title: "Deploying", summary: "build ✓" },
      actions: [{ label: "Roll back", description: "Roll back", identifier: "rollback" }],
    });
    expect(created.status).toBe(201);
    expect(created.headers["x-ratelimit-resource"]).toBe("core");
    expect(Number(created.headers["x-ratelimit-remaining"])).toBeLessThan(5000);
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      conclusion: "success",
      output: { title: "Live", summary: "done" },
    });
    const listed = await octokit.rest.checks.listForRef({ ...repo, ref: "main" });
    expect(
      listed.data.check_runs.map((run) => [run.name, run.status, run.conclusion, run.output.title]),
    ).toEqual([["aether / production", "completed", "success", "Live"]]);
    expect(server.state.checkRuns[0]?.actions).toHaveLength(1);
    assertAllRequestsValid(server);
  });

  it("answers 422 to a body that breaks the schema, and assertAllRequestsValid lists it", async () => {
    const server2 = await startGitHubServer();
    server2.tokens.add("t", { nowMs: Date.now() });
    server2.state.addRepo({ owner: "acme", name: "shop" });
    const client = new Octokit({ auth: "t", baseUrl: server2.url });
    try {
      // Plain string routes: Octokit's types would refuse these invalid parameters at compile time.
      const checkRunsRoute: string = "POST /repos/{owner}/{repo}/check-runs";
      const deploymentsRoute: string = "POST /repos/{owner}/{repo}/deployments";
      const commentsRoute: string = "GET /repos/{owner}/{repo}/issues/{issue_number}/comments";
      const badStatus = client.request(checkRunsRoute, {
        ...repo,
        name: "x",
        head_sha: sha,
        status: "running",
      });
      await expect(badStatus).rejects.toMatchObject({
        status: 422,
        response: {
          data: { message: expect.stringMatching(/^Invalid request\.\n\n.*status.*allowed values/s) },
        },
      });
      const noRef = client.request(deploymentsRoute, {
        ...repo,
        environment: "production",
      });
      await expect(noRef).rejects.toMatchObject({ status: 422 });
      const badQuery = client.request(commentsRoute, {
        ...repo,
        issue_number: 1,
        per_page: "many",
      });
      await expect(badQuery).rejects.toMatchObject({ status: 422 });
      expect(server2.state.checkRuns).toEqual([]);
      expect(() => assertAllRequestsValid(server2)).toThrow(
        /3 request\(s\)[\s\S]*POST \/repos\/acme\/shop\/check-runs[\s\S]*status[\s\S]*deployments[\s\S]*ref[\s\S]*per_page/,
      );
    } finally {
      await server2.stop();
    }
  });

  it("answers 404 with GitHub's error shape to a route GitHub does not have, and records it", async () => {
    const before = server.requests.length;
    const response = await fetch(`${server.url}/repos/acme/shop/deploy-now`, {
      method: "POST",
      headers: { authorization: "token ghs_test" },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    expect(server.requests.slice(before).map((r) => r.problems)).toEqual([
      ["no operation POST /repos/acme/shop/deploy-now in GitHub's OpenAPI description"],
    ]);
    server.requests.splice(before);
  });

  it("reports collaborator permissions with role names, and none for strangers", async () => {
    server.state.setPermission("acme/shop", "mona", "maintain");
    server.state.setPermission("acme/shop", "reader", "read");
    const permission = async (username: string): Promise<[string, string]> => {
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
      return [data.permission, data.role_name];
    };
    expect(await permission("mona")).toEqual(["write", "maintain"]);
    expect(await permission("reader")).toEqual(["read", "read"]);
    expect(await permission("stranger")).toEqual(["none", "none"]);
    assertAllRequestsValid(server);
  });

  it("creates, pages (Link headers), updates and deletes issue comments, with reactions", async () => {
    for (let i = 1; i <= 5; i++)
      await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: `comment ${i}` });
    const first = await octokit.rest.issues.listComments({ ...repo, issue_number: 7, per_page: 2 });
    expect(first.data.map((c) => c.body)).toEqual(["comment 1", "comment 2"]);
    expect(first.headers.link).toMatch(/page=2>; rel="next".*page=3>; rel="last"/);
    const paginated: string[] = [];
    let url: string | undefined = `GET /repos/acme/shop/issues/7/comments?per_page=2`;
    while (url !== undefined) {
      const page: { data: unknown; headers: { link?: string } } = await octokit.request(url);
      paginated.push(...(page.data as { body: string }[]).map((c) => c.body));
      url = /<([^>]+)>; rel="next"/.exec(page.headers.link ?? "")?.[1];
    }
    expect(paginated).toHaveLength(5);
    const target = first.data[0]!;
    await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: target.id,
      body: "<!-- aether -->\nupdated",
    });
    await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: target.id, content: "rocket" });
    await octokit.rest.issues.deleteComment({ ...repo, comment_id: first.data[1]!.id });
    expect(server.state.comments.map((c) => c.body)).toEqual([
      "<!-- aether -->\nupdated",
      "comment 3",
      "comment 4",
      "comment 5",
    ]);
    expect(server.state.reactions.map((r) => r.content)).toEqual(["rocket"]);
    assertAllRequestsValid(server);
  });

  it("serves a pull request (fork head), the repository, the installation-less app reads and contents at a commit", async () => {
    server.state.addPullRequest({
      repo: "acme/shop",
      number: 12,
      headSha: fakeSha("f0"),
      headRepo: "mallory/shop",
    });
    const pull = await octokit.rest.pulls.get({ ...repo, pull_number: 12 });
    expect([pull.data.head.sha, pull.data.head.repo?.full_name, pull.data.base.ref]).toEqual([
      fakeSha("f0"),
      "mallory/shop",
      "main",
    ]);
    expect((await octokit.rest.repos.get(repo)).data.default_branch).toBe("main");
    server.state.setFiles("acme/shop", sha, { ".github/aether.yml": "apps:\n  web: {}\n" });
    const file = await octokit.rest.repos.getContent({ ...repo, path: ".github/aether.yml", ref: sha });
    const content = "content" in file.data ? file.data.content : "";
    expect(Buffer.from(content, "base64").toString()).toBe("apps:\n  web: {}\n");
    await expect(
      octokit.rest.repos.getContent({ ...repo, path: "missing.yml", ref: sha }),
    ).rejects.toMatchObject({ status: 404 });
    server.requests.splice(-1);
    assertAllRequestsValid(server);
  });

  it("creates deployments and statuses, and answers 409 when required contexts fail", async () => {
    server.state.addCheckRun({ repo: "acme/shop", headSha: sha, name: "build", conclusion: "failure" });
    const blocked = octokit.rest.repos.createDeployment({
      ...repo,
      ref: "main",
      environment: "production",
      auto_merge: false,
    });
    await expect(blocked).rejects.toMatchObject({
      status: 409,
      response: {
        data: {
          message: "Conflict: Commit status checks failed for main.",
          errors: [{ contexts: [{ context: "build", state: "failure" }] }],
        },
      },
    });
    const created = await octokit.rest.repos.createDeployment({
      ...repo,
      ref: "main",
      environment: "production",
      auto_merge: false,
      required_contexts: [],
      payload: { app: "web" },
    });
    expect(created.status).toBe(201);
    const id = "id" in created.data ? created.data.id : 0;
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: "in_progress",
      log_url: "https://logs.example/1",
    });
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: "success",
      environment_url: "https://shop.example",
      log_url: "https://logs.example/1",
    });
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    expect(statuses.data.map((s) => [s.state, s.environment_url])).toEqual([
      ["success", "https://shop.example"],
      ["in_progress", undefined],
    ]);
    expect(server.state.deployments.map((d) => [d.sha, d.environment, d.payload])).toEqual([
      [sha, "production", { app: "web" }],
    ]);
    assertAllRequestsValid(server);
  });
});
