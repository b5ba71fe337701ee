import { spawn, type ChildProcess } from "node:child_process";
import { chmod } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopLocalPostgres } from "../../core/previewdb/local-postgres.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { pushPayload } from "./payloads.ts";

const CLI = fileURLToPath(new URL("../../cli/main.ts", import.meta.url));
let h: Harness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  h = await startHarness({ startApp: false });
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await h?.stop();
});

/** `aether app` as an operator runs it, on the harness's PostgreSQL, store and GitHub; resolves with its URL. */
async function runApp(
  options: { dataDir?: string; database?: "harness" | "embedded" } = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: Record<string, string | undefined> = {
    ...h.appProcessEnv(),
    AETHER_STORE: join(h.work, "store"),
    AETHER_GITHUB_THROTTLE: "off",
    AETHER_APP_LEASE_MS: "1500",
    // A KUBECONFIG in the developer's shell would otherwise choose the Kubernetes target.
    AETHER_TARGET: "local",
  };
  if (options.database === "embedded") delete env["DATABASE_URL"];
  const args = [CLI, "app", "--host", "127.0.0.1", "--port", "0", "--data-dir", options.dataDir ?? h.dataDir];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await waitFor(
    "the app's URL",
    () => /listening on (http:\/\/\S+)/.exec(output)?.[1],
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; the app printed:\n${output}`);
  });
  return { child, url, output: () => output };
}

describe("aether app", () => {
  it("prints where it listens, and finishes once a deploy its killed predecessor left in flight", async () => {
    const sha = shaOf("restart-1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": "version: 1\n" });
    // The release takes 1.5 s to answer its health path: time to kill the app mid-deploy.
    await h.build(sha, "r1", { startDelayMs: 1500 });
    const first = await runApp();
    expect(first.output()).toContain(`webhooks   ${first.url}/api/github/webhooks`);
    expect(first.output()).not.toContain(h.key.privateKey.split("\n")[1]!);
    h.app = { url: first.url, webhookUrl: `${first.url}/api/github/webhooks`, stop: async () => undefined };
    expect((await h.deliver("push", pushPayload(sha))).status).toBe(202);
    await waitFor("in progress", () =>
      h.github.state.deploymentStatuses.some((s) => s.state === "in_progress"),
    );
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));

    const second = await runApp();
    const success = await waitFor(
      "success after restart",
      () => h.github.state.deploymentStatuses.find((s) => s.state === "success"),
      30_000,
    );
    expect(await (await fetch(success.environmentUrl)).text()).toBe("hello r1");
    expect(h.github.state.deployments.filter((d) => d.sha === sha)).toHaveLength(1);
    expect(h.github.state.deploymentStatuses.filter((s) => s.state === "success")).toHaveLength(1);
    const runs = h.github.state.checkRuns.filter((r) => r.headSha === sha);
    expect(runs.map((r) => [r.status, r.conclusion])).toEqual([["completed", "success"]]);
    const [request] = await h.query<{ state: string; attempts: number }>(
      "SELECT state, attempts FROM aether_deploy_requests",
    );
    expect(request).toEqual({ state: "success", attempts: 2 });
    expect(second.output()).toContain("resuming deploy request");
    second.child.kill("SIGTERM");
    expect(await new Promise((resolve) => second.child.once("exit", resolve))).toBe(0);
    assertAllRequestsValid(h.github);
  });

  it("runs on a PostgreSQL of its own in <data dir>/app-postgres when DATABASE_URL is not set", async () => {
    const dataDir = join(h.work, "embedded");
    // As root the server runs as the postgres user, which must reach the folder (mkdtemp makes it 0700).
    await chmod(h.work, 0o755);
    try {
      const app = await runApp({ dataDir, database: "embedded" });
      expect(app.output()).toContain(`database   embedded PostgreSQL in ${join(dataDir, "app-postgres")}`);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const forged = await fetch(`${app.url}/api/github/webhooks`, {
        method: "POST",
        headers: { "x-github-event": "push", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
        body: "{}",
      });
      expect(forged.status).toBe(401);
      app.child.kill("SIGTERM");
      expect(await new Promise((resolve) => app.child.once("exit", resolve))).toBe(0);
    } finally {
      await stopLocalPostgres({ dir: join(dataDir, "app-postgres") });
    }
  });
});
