// The deploy action: hand the artifact to the Aether app (or a cluster) and wait for the outcome.
import * as core from "@actions/core";
import { existsSync } from "node:fs";
import { parseDigest } from "../../../core/artifact/digest.ts";
import { fetchOidcToken } from "../../sbom/src/fetch-oidc-token.ts";
import type { DeployInput, DeployOutput } from "./action-io.ts";
import { AppApiError } from "./app-api-error.ts";
import { deployViaApp } from "./deploy-via-app.ts";
import { deploySummary } from "./deploy-summary.ts";
import { deployViaKubeconfig } from "./deploy-via-kubeconfig.ts";

const input = (name: DeployInput, required = false): string => core.getInput(name, { required });
const output = (name: DeployOutput, value: string): void => core.setOutput(name, value);

const TITLES = {
  refused: "Aether deploy refused the token",
  unreachable: "Aether app unreachable",
  rejected: "Aether deploy request rejected",
  failed: "Aether deploy failed",
  timeout: "Aether deploy timed out",
  protocol: "Aether app gave an unexpected answer",
} as const;

async function main(): Promise<void> {
  const env = process.env;
  try {
    const digest = parseDigest(input("digest", true), "input digest");
    const environment = input("environment") || "production";
    const appUrl = input("app-url");
    const timeoutSeconds = Number(input("timeout") || "900");
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
      throw new Error(`input timeout: "${input("timeout")}" is not a number of seconds`);
    }
    if (appUrl === "") {
      const kubeconfig = input("kubeconfig");
      if (kubeconfig === "") {
        throw new Error(
          "Input required and not supplied: app-url (the Aether app) or kubeconfig (a cluster)",
        );
      }
      // Mask the credentials in it, not every line (masking "v1" would blank it out of the whole log).
      for (const match of kubeconfig.matchAll(/^\s*(?:token|client-key-data|password)\s*:\s*"?([^"\s]+)/gm)) {
        if (match[1]) core.setSecret(match[1]);
      }
      const repository = env["GITHUB_REPOSITORY"] ?? "";
      const deployed = await deployViaKubeconfig({
        kubeconfig: existsSync(kubeconfig) ? { path: kubeconfig } : { text: kubeconfig },
        digest,
        environment,
        app: input("app") || repository.split("/").pop() || "app",
        namespace: input("namespace"),
        host: input("host"),
        store: input("store"),
        repository,
        timeoutMs: timeoutSeconds * 1000,
        tempDir: env["RUNNER_TEMP"] ?? process.cwd(),
        env,
        onEvent: (event) => {
          if (event.type === "phase-finished") core.info(`✔ ${event.phase.padEnd(8)} ${event.detail}`);
          else if (event.type === "progress") core.info(`  ${event.message}`);
          else if (event.type === "phase-failed") core.info(`✖ ${event.phase.padEnd(8)} ${event.message}`);
        },
      });
      output("url", deployed.url ?? "");
      output("state", "success");
      core.info(`✔ deployed   ${digest} → ${environment} (release ${deployed.release})`);
      if (env["GITHUB_STEP_SUMMARY"]) {
        const summary = deploySummary({
          digest,
          environment,
          url: deployed.url,
          deploymentId: `release ${deployed.release}`,
          appUrl: "the cluster (kubeconfig)",
          phases: [
            { label: "apply", ms: deployed.timings.apply },
            { label: "rollout", ms: deployed.timings.rollout },
          ],
        });
        await core.summary.addRaw(summary).write();
      }
      return;
    }
    const token = await tokenFor(appUrl, input("token"), env);
    core.setSecret(token);
    const started = Date.now();
    let inProgressAt: number | undefined;
    const deployment = await deployViaApp({
      appUrl,
      token,
      timeoutMs: timeoutSeconds * 1000,
      // One deploy per job attempt: a re-run of the job asks again, a retried request does not.
      idempotencyKey: `${env["GITHUB_REPOSITORY"] ?? ""}/${env["GITHUB_RUN_ID"] ?? ""}/${env["GITHUB_RUN_ATTEMPT"] ?? "1"}/${environment}/${digest}`,
      body: {
        repository: env["GITHUB_REPOSITORY"] ?? "",
        sha: env["GITHUB_SHA"] ?? "",
        digest,
        environment,
        ...(input("app") ? { app: input("app") } : {}),
      },
      onState: (d) => {
        if (d.state === "in_progress") inProgressAt ??= Date.now();
        core.info(`• ${d.state.padEnd(11)} deployment ${d.id}${d.message ? ` · ${d.message}` : ""}`);
      },
    });
    const finished = Date.now();
    output("deployment-id", deployment.id);
    output("state", deployment.state);
    output("url", deployment.url ?? "");
    core.info(`✔ deployed   ${digest} → ${environment}${deployment.url ? ` · ${deployment.url}` : ""}`);
    if (env["GITHUB_STEP_SUMMARY"]) {
      const queuedUntil = inProgressAt ?? finished;
      const summary = deploySummary({
        digest,
        environment,
        url: deployment.url,
        deploymentId: deployment.id,
        appUrl,
        phases: [
          { label: "queued", ms: queuedUntil - started },
          { label: "rollout", ms: finished - queuedUntil },
        ],
      });
      await core.summary.addRaw(summary).write();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const title = error instanceof AppApiError ? TITLES[error.kind] : "Aether deploy failed";
    core.error(message, { title });
    if (error instanceof AppApiError && error.kind === "failed") output("state", "failure");
    core.setFailed(title);
  }
}

/** The bearer token: the `token` input, else the job's OIDC token with the app as audience. */
async function tokenFor(
  appUrl: string,
  token: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  if (token !== "") return token;
  const requestUrl = env["ACTIONS_ID_TOKEN_REQUEST_URL"];
  const requestToken = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
  if (!requestUrl || !requestToken) {
    throw new Error(
      "Input required and not supplied: token (a scoped Aether API token from a secret); or give the job " +
        "`permissions: id-token: write` so its OIDC token is sent instead",
    );
  }
  return fetchOidcToken({ requestUrl, requestToken, audience: new URL(appUrl).origin });
}

await main();
