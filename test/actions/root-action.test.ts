import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../core/store/open-store.ts";
import { webhookExample } from "../support/github/webhook-example.ts";
import { actionWorkspace, type ActionWorkspace } from "./support/action-workspace.ts";
import { startAetherApiServer, type AetherApiServer } from "./support/aether-api-server.ts";
import { runComposite } from "./support/run-composite.ts";

const ROOT_ACTION = fileURLToPath(new URL("../../action.yml", import.meta.url));
const push = webhookExample("push");
const TOKEN = "aether_tok_root_action";

let ws: ActionWorkspace;
let app: AetherApiServer;
beforeAll(async () => {
  ws = await actionWorkspace("node-express");
  app = await startAetherApiServer({
    accept: (token) => token === TOKEN,
    outcome: { state: "success", url: "https://hello-world.example.dev" },
  });
});
afterAll(async () => {
  await app.stop();
  await ws.remove();
});

/** A job's environment on a GitHub-hosted runner, with Node 24 first on PATH as setup-node would leave it. */
async function jobEnv(): Promise<Record<string, string>> {
  const eventPath = join(ws.runnerTemp, "event.json");
  await writeFile(eventPath, JSON.stringify(push));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^(INPUT_|GITHUB_|RUNNER_|AWS_|AETHER_|ACTIONS_)/.test(entry[0]),
    ),
  );
  return {
    ...inherited,
    PATH: `${dirname(process.execPath)}:${process.env["PATH"] ?? ""}`,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: ws.workspace,
    GITHUB_EVENT_NAME: "push",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_SHA: String(push["after"]),
    GITHUB_REF: "refs/heads/main",
    GITHUB_WORKFLOW: "deploy",
    GITHUB_WORKFLOW_REF: "Codertocat/Hello-World/.github/workflows/deploy.yml@refs/heads/main",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    RUNNER_TEMP: ws.runnerTemp,
    RUNNER_ENVIRONMENT: "github-hosted",
  };
}

describe("the root action (composite), run step by step as the runner does", () => {
  it("builds, writes the SBOM and signed provenance, deploys through the app, and outputs digest and URL", async () => {
    const signingKey = generateKeyPairSync("ed25519")
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const run = await runComposite({
      actionFile: ROOT_ACTION,
      inputs: {
        path: "app",
        store: ws.store,
        "app-url": app.url,
        token: TOKEN,
        "signing-key": signingKey,
        environment: "staging",
      },
      env: await jobEnv(),
      cwd: ws.workspace,
      runnerTemp: ws.runnerTemp,
    });
    expect(run.code, run.stdout).toBe(0);
    expect(Object.keys(run.steps)).toEqual(["node", "build", "sbom", "deploy"]);
    expect(run.outputs["digest"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs["url"]).toBe("https://hello-world.example.dev");
    expect(run.outputs["provenance-path"]).toMatch(/provenance\.intoto\.jsonl$/);
    expect(app.deployments.at(-1)?.body).toMatchObject({
      digest: run.outputs["digest"],
      environment: "staging",
    });
    const store = openStore(ws.store, { cwd: ws.workspace, env: {} });
    expect(await store.getAttestation(run.outputs["digest"] as `sha256:${string}`)).toBeDefined();
    expect(run.summary).toContain("## ✅ Aether build");
    expect(run.summary).toContain("## ✅ Aether SBOM and provenance");
    expect(run.summary).toContain("## 🚀 Aether deploy: staging → https://hello-world.example.dev");
  });

  it("only builds when sbom is false and nothing to deploy to is given, and stops at a failing step", async () => {
    const built = await runComposite({
      actionFile: ROOT_ACTION,
      inputs: { path: "app", store: ws.store, sbom: "false" },
      env: await jobEnv(),
      cwd: ws.workspace,
      runnerTemp: ws.runnerTemp,
    });
    expect(built.code, built.stdout).toBe(0);
    expect(Object.keys(built.steps)).toEqual(["node", "build"]);
    expect(built.outputs["url"]).toBe("");

    const failed = await runComposite({
      actionFile: ROOT_ACTION,
      inputs: { path: "app", store: "ftp://example.com/x", "app-url": app.url, token: TOKEN },
      env: await jobEnv(),
      cwd: ws.workspace,
      runnerTemp: ws.runnerTemp,
    });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('::error title=Aether build failed::store URL "ftp://example.com/x"');
    expect(Object.keys(failed.steps)).toEqual(["node", "build"]);
  });

  it.runIf(existsSync("/usr/bin/node"))("sets up Node 24 first when the runner's node is older", async () => {
    // This machine's own node (/usr/bin/node) is 20, like the node on GitHub's ubuntu images.
    const env = { ...(await jobEnv()), PATH: `/usr/bin:/bin` };
    const older = execFileSync("/usr/bin/node", ["-p", "process.versions.node.split('.')[0]"], {
      env,
    }).toString();
    if (Number(older) >= 24) return;
    await expect(
      runComposite({
        actionFile: ROOT_ACTION,
        inputs: { store: ws.store },
        env,
        cwd: ws.workspace,
        runnerTemp: ws.runnerTemp,
      }),
    ).rejects.toThrow(/would run actions\/setup-node@[0-9a-f]{40}/);
  });
});
