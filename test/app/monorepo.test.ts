import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes, formatDuration } from "../../core/pipeline/format.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { pushPayload, workflowRunCompleted } from "./payloads.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  if (process.env["APP_TEST_LOG"]) console.log(h?.logLines.join("\n"));
  await h?.stop();
});

// Two apps of one repository, each built from its own folder by its own job of the workflow.
const CONFIG = "version: 1\napps:\n  web:\n    path: apps/web\n  api:\n    path: ./apps/api/\n";
const APPS = { web: "apps/web", api: "apps/api" } as const;
type App = keyof typeof APPS;

const body = async (url: string) => (await fetch(url)).text();
const deploymentOf = (sha: string, app: App) =>
  h.github.state.deployments.find((d) => d.sha === sha && d.description === `deploy ${app} by Aether`);
const successOf = (sha: string, app: App) => {
  const deployment = deploymentOf(sha, app);
  return h.github.state.deploymentStatuses.find(
    (s) => s.deploymentId === deployment?.id && s.state === "success",
  );
};
const stateOf = async (sha: string, app: App) =>
  (
    await h.query<{ state: string; message: string | null }>(
      "SELECT state, message FROM aether_deploy_requests WHERE sha = $1 AND app = $2",
      [sha, app],
    )
  )[0];

describe("a monorepo: one artifact per app of a commit", () => {
  it("deploys each app of a push to main from its own build, with the build's latency in its check run", async () => {
    const sha = shaOf("mono-1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const web = await h.build(sha, "web-1", { path: APPS.web });
    const api = await h.build(sha, "api-1", { path: "apps/api" });
    expect(web).not.toBe(api);
    expect((await h.deliver("push", pushPayload(sha))).status).toBe(202);

    const live = {
      web: await waitFor("web live", () => successOf(sha, "web")),
      api: await waitFor("api live", () => successOf(sha, "api")),
    };
    expect(live.web.environmentUrl).not.toBe(live.api.environmentUrl);
    expect(await body(live.web.environmentUrl)).toBe("hello web-1");
    expect(await body(live.api.environmentUrl)).toBe("hello api-1");
    expect(deploymentOf(sha, "web")?.environment).toBe("production");
    expect(deploymentOf(sha, "api")?.environment).toBe("production");

    for (const app of ["web", "api"] as const) {
      const run = h.github.state.checkRuns.find(
        (r) => r.headSha === sha && r.name === `Aether · deploy ${app} to production`,
      );
      expect(run).toMatchObject({ status: "completed", conclusion: "success" });
      const ref = await h.store.getRef({ repository: REPO, commit: sha, path: APPS[app] });
      expect(ref?.digest).toBe(app === "web" ? web : api);
      const { timings, bytes } = ref!;
      const summary = run!.output.summary ?? "";
      expect(summary).toContain("**Latency**, build to healthy:");
      expect(summary).toContain("| build | upload | rollout | healthy | total |");
      const row = summary
        .split("\n")
        .find((line) => line.startsWith(`| ${formatDuration(timings!.buildMs)} |`));
      expect(row, summary).toBeDefined();
      expect(row).toContain(`| ${formatDuration(timings!.uploadMs)} (${formatBytes(bytes!.uploaded)} sent, `);
      expect(row).toMatch(/% reused\) \| [\d.]+ (ms|s) \| [\d.]+ (ms|s) \| \*\*[\d.]+ (ms|s)\*\* \|$/);
      expect(bytes!.uploaded + bytes!.reused).toBeGreaterThan(0);
    }
    assertAllRequestsValid(h.github);
  });

  it("deploys the app that was built, and waits for the other app's build of the same commit", async () => {
    const sha = shaOf("mono-2");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "web-2", { path: APPS.web });
    await h.deliver("push", pushPayload(sha));
    const web = await waitFor("web live", () => successOf(sha, "web"));
    expect(await body(web.environmentUrl)).toBe("hello web-2");
    const waiting = await waitFor("api waiting for its build", async () => {
      const row = await stateOf(sha, "api");
      return row?.state === "waiting-artifact" ? row : undefined;
    });
    expect(waiting.message).toBe(`waiting for the build of apps/api at ${sha.slice(0, 7)}`);
    // Still the previous push's api: nothing of web's artifact went to it.
    const previous = successOf(shaOf("mono-1"), "api")!;
    expect(await body(previous.environmentUrl)).toBe("hello api-1");

    await h.build(sha, "api-2", { path: APPS.api });
    await h.deliver("workflow_run", workflowRunCompleted(sha));
    const api = await waitFor("api live", () => successOf(sha, "api"));
    expect(await body(api.environmentUrl)).toBe("hello api-2");
    expect(await body(web.environmentUrl)).toBe("hello web-2");
    expect((await stateOf(sha, "api"))?.state).toBe("success");
    assertAllRequestsValid(h.github);
  });
});
