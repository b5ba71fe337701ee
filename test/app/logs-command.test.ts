import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envDirFor, releaseLogFile } from "../../core/local/env-paths.ts";
import { openLogWriter } from "../../core/local/log-writer.ts";
import { localEnvName } from "../../app/targets/local-target.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { REPO, SECRET, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { pushPayload } from "./payloads.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const CONFIG = "version: 1\napps:\n  web:\n    path: apps/web\n  api:\n    path: apps/api\n";
const sha = shaOf("logs-two-apps");
const PR = 31;

/** Comments `body` on the pull request as mona (a writer) and returns the app's reply to it. */
async function command(body: string, pr = PR): Promise<string> {
  return (await h.replyTo(await h.comment({ pr, user: "mona", body }))).body;
}

const live = (app: string) => {
  const deployment = h.github.state.deployments.find(
    (d) => d.sha === sha && d.description === `deploy ${app} by Aether`,
  );
  return h.github.state.deploymentStatuses.some(
    (s) => s.deploymentId === deployment?.id && s.state === "success",
  );
};

/** The `starting release …(PORT=N)` line of an app's production, read from the local target itself. */
async function startLine(app: string): Promise<string> {
  const lines = await h.appOptions().target.logs({ repository: REPO, app, env: "production", tail: 30 });
  const line = lines.find((l) => l.startsWith("starting release 1: "));
  if (line === undefined) throw new Error(`no start line in ${app}'s logs: ${lines.join("\n")}`);
  return line;
}

describe("/logs [APP] [ENV] [--since 10m]", () => {
  it("shows the named app's lines of a two-app repository, and asks which app when none is named", async () => {
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    h.github.state.addPullRequest({ repo: REPO, number: PR, headSha: sha });
    h.github.state.setPermission(REPO, "mona", "write");
    await h.build(sha, "web-1", { path: "apps/web" });
    await h.build(sha, "api-1", { path: "apps/api" });
    await h.deliver("push", pushPayload(sha));
    await waitFor("web live", () => live("web"));
    await waitFor("api live", () => live("api"));
    const web = await startLine("web");
    const api = await startLine("api");
    expect(web).not.toBe(api);

    const webLogs = await command("/logs web production");
    expect(webLogs).toContain("log lines of **web** in **production**:");
    expect(webLogs).toContain(web);
    expect(webLogs).not.toContain(api);
    const apiLogs = await command("/logs api production --since 1h");
    expect(apiLogs).toContain(api);
    expect(apiLogs).not.toContain(web);

    // What the app prints reaches GitHub redacted, and cannot close the reply's code block.
    const envName = localEnvName({ repository: REPO, app: "web", env: "production" });
    const writer = openLogWriter(releaseLogFile(envDirFor({ stateDir: h.targetDir, envName }), 1));
    writer.write("stdout", `connecting with ${SECRET}`);
    writer.write("stdout", "```");
    await writer.close();
    const printed = await command("/logs web production --since 10m");
    expect(printed).toContain("connecting with ***");
    expect(printed).not.toContain(SECRET);
    expect(printed.match(/```/g)).toHaveLength(2);

    expect(await command("/logs production")).toContain(
      "❌ Name the app whose logs to show: one of web, api (`/logs APP [ENV]`).",
    );
    expect(await command("/logs shop production")).toContain(
      "❌ There is no app **shop** in .github/aether.yml (known: web, api).",
    );
    expect(await command("/logs web staging")).toContain(
      `❌ There is no environment **staging** in .github/aether.yml (known: pr-${PR}, production).`,
    );
    // One name that is an app and no environment: that app, in this pull request's preview.
    expect(await command("/logs api")).toContain(`No log lines for **api** in **pr-${PR}**.`);
    assertAllRequestsValid(h.github);
  });

  it("keeps the one-app forms: /logs and /logs ENV", async () => {
    const one = shaOf("logs-one-app");
    h.github.state.setFiles(REPO, one, { ".github/aether.yml": "version: 1\n" });
    h.github.state.addPullRequest({ repo: REPO, number: PR + 1, headSha: one });
    expect(await command("/logs production", PR + 1)).toContain("No log lines for **production**.");
    expect(await command("/logs --since 10m", PR + 1)).toContain(`No log lines for **pr-${PR + 1}**.`);
    assertAllRequestsValid(h.github);
  });
});
