import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample } from "../support/github/webhook-example.ts";
import { startOidcIssuer, type OidcIssuer } from "../support/oidc-issuer.ts";
import { runAction } from "../support/run-action.ts";
import { REPO, shaOf, startHarness, type Harness } from "../app/app-harness.ts";
import { actionWorkspace, type ActionWorkspace } from "./support/action-workspace.ts";

// The deploy action against the real app (its HTTP server, queue, worker and local target), not a stand-in
// of its API: what the action sends is what the app accepts, and what the app answers the action follows.
const TOKEN = "tok_shop_action_0123456789abcdef";
const CONFIG = "version: 1\n";
let h: Harness;
let issuer: OidcIssuer;
let ws: ActionWorkspace;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  h = await startHarness({ apiTokens: `acme/shop=${TOKEN}`, oidcIssuer: issuer.url });
  ws = await actionWorkspace("static");
});
afterAll(async () => {
  await h?.stop();
  await issuer?.stop();
  await ws?.remove();
});

async function deploy(sha: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({
    action: "deploy",
    inputs: { app: "app", "app-url": h.app.url, timeout: "60", ...inputs },
    workspace: ws.workspace,
    runnerTemp: ws.runnerTemp,
    event: { name: "push", payload: webhookExample("push") },
    env: { GITHUB_REPOSITORY: REPO, GITHUB_SHA: sha, ...env },
  });
}

describe("actions/deploy against the running Aether app", () => {
  it("deploys with a scoped token and outputs the URL the app serves", async () => {
    const sha = shaOf("act1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const digest = await h.build(sha, "act1");
    const run = await deploy(sha, { digest, environment: "staging", token: TOKEN });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs["state"]).toBe("success");
    expect(await (await fetch(run.outputs["url"]!)).text()).toBe("hello act1");
  });

  it("deploys to production with the job's OIDC token when the job ran in that environment", async () => {
    const sha = shaOf("act2");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const digest = await h.build(sha, "act2");
    const runnerFor = (claims: Record<string, unknown>) => {
      const runner = issuer.runner({ repository: REPO, ref: "refs/heads/main", ...claims });
      return {
        ACTIONS_ID_TOKEN_REQUEST_URL: runner.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: runner.requestToken,
      };
    };
    const outside = await deploy(sha, { digest, environment: "production" }, runnerFor({}));
    expect(outside.code).toBe(1);
    expect(outside.stdout).toContain("::error");
    expect(outside.stdout).toContain("refused the token");
    const inside = await deploy(
      sha,
      { digest, environment: "production" },
      runnerFor({ environment: "production" }),
    );
    expect(inside.code, inside.stdout).toBe(0);
    expect(inside.outputs["state"]).toBe("success");
    expect(await (await fetch(inside.outputs["url"]!)).text()).toBe("hello act2");
  });
});
