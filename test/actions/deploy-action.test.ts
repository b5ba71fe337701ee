import { readdir, readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeClientsFrom, loadKubeConfig } from "../../core/kube/kube-client.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { webhookExample } from "../support/github/webhook-example.ts";
import { freePort } from "../support/postgres-server.ts";
import { runAction } from "../support/run-action.ts";
import { actionWorkspace, type ActionWorkspace } from "./support/action-workspace.ts";
import { startAetherApiServer } from "./support/aether-api-server.ts";
import { startSigstoreServers } from "./support/sigstore-servers.ts";

const push = webhookExample("push");
const event = { name: "push", payload: push };
const DIGEST = `sha256:${"ab".repeat(32)}`;
const TOKEN = "aether_tok_0123456789abcdef";

let ws: ActionWorkspace;
beforeAll(async () => {
  ws = await actionWorkspace("static");
});
afterAll(() => ws.remove());

const deploy = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ action: "deploy", inputs, workspace: ws.workspace, runnerTemp: ws.runnerTemp, event, env });

describe("actions/deploy through the Aether app, run as the runner runs it", () => {
  it("requests the deploy with the token, follows it to success, and writes the URL and a summary", async () => {
    const app = await startAetherApiServer({
      accept: (token) => token === TOKEN,
      outcome: { state: "success", url: "https://staging.example.dev" },
    });
    try {
      const run = await deploy({
        digest: DIGEST,
        environment: "staging",
        app: "web",
        "app-url": app.url,
        token: TOKEN,
      });
      expect(run.stderr).toBe("");
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs).toEqual({
        "deployment-id": "d-1",
        state: "success",
        url: "https://staging.example.dev",
      });
      expect(app.deployments).toEqual([
        {
          id: "d-1",
          token: TOKEN,
          idempotencyKey: `Codertocat/Hello-World/4242/1/staging/${DIGEST}`,
          polls: 3,
          body: {
            repository: "Codertocat/Hello-World",
            sha: push["after"],
            digest: DIGEST,
            environment: "staging",
            app: "web",
          },
        },
      ]);
      expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
      expect(run.stdout.replace(`::add-mask::${TOKEN}`, "")).not.toContain(TOKEN);
      expect(run.stdout).toMatch(
        /• queued +deployment d-1\n• in_progress deployment d-1\n• success +deployment d-1/,
      );
      expect(run.summary).toContain("## 🚀 Aether deploy: staging → https://staging.example.dev");
      expect(run.summary).toContain("| URL | https://staging.example.dev |");
      expect(run.summary).toMatch(
        /\| queued \| rollout \| total \|\n\| --- \| --- \| --- \|\n\| .+ \| .+ \| .+ \|/,
      );
    } finally {
      await app.stop();
    }
  });

  it("sends the job's OIDC token, with the app as audience, when no token is given", async () => {
    const oidc = await startSigstoreServers({ repository: "Codertocat/Hello-World" });
    const app = await startAetherApiServer({
      accept: (token) => {
        const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString() || "{}") as {
          aud?: string;
          repository?: string;
        };
        return claims.repository === "Codertocat/Hello-World" && claims.aud === app.url;
      },
      outcome: { state: "success", url: "https://pr-1.example.dev" },
    });
    try {
      const run = await deploy(
        { digest: DIGEST, environment: "pr-1", "app-url": app.url },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: oidc.oidc.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.oidc.requestToken,
        },
      );
      expect(run.code, run.stdout).toBe(0);
      expect(oidc.requests.tokens).toEqual([{ audience: app.url }]);
      expect(run.outputs["url"]).toBe("https://pr-1.example.dev");
    } finally {
      await app.stop();
      await oidc.stop();
    }
  });

  it("fails the step with a clear annotation when the app refuses the token, deploying nothing", async () => {
    const app = await startAetherApiServer({ accept: () => false, outcome: { state: "success", url: "x" } });
    try {
      const run = await deploy({ digest: DIGEST, "app-url": app.url, token: "revoked-token" });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `::error title=Aether deploy refused the token::POST ${app.url}/api/v1/deployments: the Aether app refused the token (HTTP 401: token not valid for this repository).`,
      );
      expect(run.stdout).toContain("::error::Aether deploy refused the token");
      expect(app.deployments).toEqual([]);
      expect(run.outputs).toEqual({});
    } finally {
      await app.stop();
    }
  });

  it("fails the step with the app's reason when the deployment fails", async () => {
    const app = await startAetherApiServer({
      accept: () => true,
      outcome: { state: "failure", message: "rollout: GET /health never answered 200 within 30 s" },
    });
    try {
      const run = await deploy({ digest: DIGEST, "app-url": app.url, token: TOKEN });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `::error title=Aether deploy failed::deployment d-1 of ${DIGEST} to production failed: rollout: GET /health never answered 200 within 30 s`,
      );
      expect(run.outputs).toEqual({ state: "failure" });
    } finally {
      await app.stop();
    }
  });

  it("fails with an annotation on bad input", async () => {
    const missing = await deploy({ "app-url": "http://127.0.0.1:9", token: TOKEN });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      "::error title=Aether deploy failed::Input required and not supplied: digest",
    );
    const bad = await deploy({ digest: "sha256:xyz", "app-url": "http://127.0.0.1:9", token: TOKEN });
    expect(bad.stdout).toContain('input digest: "sha256:xyz" is not a sha256 digest');
    const nowhere = await deploy({ digest: DIGEST });
    expect(nowhere.stdout).toContain(
      "Input required and not supplied: app-url (the Aether app) or kubeconfig (a cluster)",
    );
    const noToken = await deploy({ digest: DIGEST, "app-url": "http://127.0.0.1:9" });
    expect(noToken.stdout).toContain(
      "Input required and not supplied: token (a scoped Aether API token from a secret)",
    );
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await deploy({ digest: DIGEST, "app-url": closed, token: TOKEN });
    expect(unreachable.stdout).toContain(
      `::error title=Aether app unreachable::POST ${closed}/api/v1/deployments: the Aether app could not be reached (connect ECONNREFUSED`,
    );
  });
});

describe("actions/deploy straight to a cluster (kubeconfig mode)", () => {
  let target: KubeTarget;
  let digest: string;
  let kube: ActionWorkspace;
  beforeAll(async () => {
    target = await kubeTarget({ readyDelayMs: 20 });
    kube = await actionWorkspace("static");
    const built = await runAction({
      action: "build",
      inputs: { path: "app", store: kube.store },
      workspace: kube.workspace,
      runnerTemp: kube.runnerTemp,
      event,
    });
    digest = built.outputs["digest"]!;
  }, 60_000);
  afterAll(async () => {
    await target.stop();
    await kube.remove();
  });

  it("rolls the artifact out from a kubeconfig given as text, and outputs the URL", async () => {
    const clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: target.kubeconfigPath }));
    const namespace = `action-deploy-${process.pid}`;
    await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
    const kubeconfig = await readFile(target.kubeconfigPath, "utf8");
    const run = await runAction({
      action: "deploy",
      inputs: { digest, kubeconfig, namespace, host: "hello.example.dev", store: kube.store, timeout: "30" },
      workspace: kube.workspace,
      runnerTemp: kube.runnerTemp,
      event,
    });
    expect(run.stderr).toBe("");
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs).toEqual({ url: "http://hello.example.dev", state: "success" });
    const deployments = (await clients.apps.listNamespacedDeployment({ namespace })).items;
    expect(deployments.map((d) => d.metadata?.annotations?.["aether.dev/release"])).toEqual(["1"]);
    expect(deployments[0]?.metadata?.name).toMatch(/hello-world/i);
    expect(run.summary).toContain("## 🚀 Aether deploy: production → http://hello.example.dev");
    expect(run.summary).toContain("| apply | rollout | total |");
    expect(await readdir(kube.runnerTemp)).not.toContainEqual(expect.stringMatching(/^kubeconfig-/));
  });

  it("fails with an annotation when the kubeconfig is not one, or the store is missing", async () => {
    const bad = await runAction({
      action: "deploy",
      inputs: { digest, kubeconfig: "not: [a kubeconfig", store: kube.store },
      workspace: kube.workspace,
      runnerTemp: kube.runnerTemp,
      event,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/::error title=Aether deploy failed::Cannot use the kubeconfig .*kubeconfig-/);
    const noStore = await runAction({
      action: "deploy",
      inputs: { digest, kubeconfig: target.kubeconfigPath },
      workspace: kube.workspace,
      runnerTemp: kube.runnerTemp,
      event,
    });
    expect(noStore.stdout).toContain(
      "::error title=Aether deploy failed::Input required and not supplied: store",
    );
  });
});
