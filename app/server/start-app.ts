import { DEFAULT_APP_PROVENANCE, type AppProvenance } from "../worker/artifact-provenance.ts";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PgBoss } from "pg-boss";
import type { PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";
import { createRedactor, type Redact } from "../../core/redact/redact.ts";
import type { ArtifactStore } from "../../core/store/store.ts";
import { createDeploymentsApi } from "../api/deployments-api.ts";
import { createOidcVerifier, type OidcVerdict } from "../api/github-oidc.ts";
import type { ApiToken } from "../api/api-tokens.ts";
import { migrateAppSchema } from "../db/migrate-app-schema.ts";
import { createGitHubClients, type GitHubClientOptions } from "../github/github-client.ts";
import { createWebhookQueue, deliveryReceived } from "../intake/pg-boss-queue.ts";
import { createWebhookHandler } from "../intake/webhook-handler.ts";
import { startRedelivery } from "../intake/redeliver-missed.ts";
import { createRedeliveryRecords } from "../intake/redelivery-records.ts";
import { createEnvironmentLocks } from "../locks/environment-locks.ts";
import type { DeployTarget } from "../targets/deploy-target.ts";
import { createDeployQueue } from "../worker/deploy-queue.ts";
import { createDeployRecords } from "../worker/deploy-records.ts";
import { startWorkers } from "../worker/start-workers.ts";
import { startMaintenance } from "../maintenance/start-maintenance.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { startAppServer, WEBHOOK_PATH } from "./app-server.ts";

export interface AppOptions {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** `https://api.github.com` unless set (GITHUB_API_URL). */
  githubApiUrl?: string;
  /** The app's database: job queue, deploy requests, locks. */
  databaseUrl: string;
  /** Where preview databases are created; none: previews that ask for one fail saying so. */
  previewDb?: PostgresAdmin;
  store: ArtifactStore;
  target: DeployTarget;
  apiTokens: readonly ApiToken[];
  /** Accept GitHub Actions OIDC tokens of this issuer on the deploy API, for the app's URL as audience. */
  oidcIssuer?: string;
  host?: string;
  port?: number;
  /** The URL GitHub and the deploy action reach the app at (statusUrl); default: the listening URL. */
  publicUrl?: string;
  /** Lease of a running deploy (default 30 s): how soon another worker resumes one whose worker died. */
  leaseMs?: number;
  /** GitHub client pacing; tests turn it down. */
  throttle?: GitHubClientOptions["throttle"];
  retryBaseMs?: number;
  /** Queue retry delay (seconds) and polling (seconds, ≥ 0.5). */
  retryDelaySeconds?: number;
  pollingIntervalSeconds?: number;
  /**
   * Seconds between scans of GitHub's webhook delivery log for deliveries the app missed (the first one right
   * after start); 0 or unset: none. `aether app` sets it from AETHER_REDELIVER_INTERVAL (default 300).
   */
  redeliverIntervalSeconds?: number;
  /** Values that must never appear in comments, check runs or logs, besides the built-in patterns. */
  secrets?: readonly string[];
  /** What artifacts must prove before they deploy; default: checked, labelled, never required. */
  provenance?: AppProvenance;
  log?: (line: string) => void;
}

export interface RunningApp {
  /** `http://host:port` the server listens on. */
  url: string;
  webhookUrl: string;
  /** Stops accepting, lets running jobs finish (graceful) or drops them (not: what a crash would do). */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

/**
 * Starts the Aether GitHub App: the webhook intake (verified, acknowledged once durably queued), the deploy
 * API, and the workers that handle events and run deploys on `target`.
 * @example const app = await startApp({ appId, privateKey, webhookSecret, databaseUrl, store, target, apiTokens: [] })
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => console.error(line));
  const redact = createRedactor([options.webhookSecret, options.privateKey, ...(options.secrets ?? [])]);
  const safeLog = (line: string) => log(redact(line));
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 5 });
  pool.on("error", (error) => safeLog(`database: ${error.message}`));
  const boss = new PgBoss({ connectionString: options.databaseUrl, useListenNotify: true });
  boss.on("error", (error: Error) => safeLog(`queue: ${error.message}`));
  let started: Awaited<ReturnType<typeof startParts>>;
  try {
    await boss.start();
    await migrateAppSchema(pool);
    started = await startParts(options, { boss, pool, redact, log: safeLog });
  } catch (error) {
    // Nothing may keep the process alive after a failed start (GitHub unreachable, bad credentials …).
    await boss.stop({ graceful: false }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
  const { intake, deps, workers, botLogin } = started;
  let publicUrl = options.publicUrl ?? "";
  // The deploy action asks for a token whose audience is the app's origin, known once the server listens.
  let verifyOidc: ((token: string) => Promise<OidcVerdict>) | undefined;
  const issuer = options.oidcIssuer;
  const oidc =
    issuer === undefined
      ? undefined
      : (token: string) => {
          verifyOidc ??= createOidcVerifier({ issuer, audience: new URL(publicUrl).origin });
          return verifyOidc(token);
        };
  let listening: Awaited<ReturnType<typeof startAppServer>>;
  try {
    listening = await startAppServer({
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 3000,
      webhooks: createWebhookHandler({
        secret: options.webhookSecret,
        self: { appId: options.appId, botLogin },
        enqueue: intake.enqueue,
        log: safeLog,
      }),
      api: createDeploymentsApi({
        deps,
        tokens: options.apiTokens,
        publicUrl: () => publicUrl,
        ...(oidc === undefined ? {} : { oidc }),
      }),
      log: safeLog,
    });
  } catch (error) {
    // The port is taken, say: let go of the queue and the database before reporting it.
    await workers.stop({ wait: false });
    await boss.stop({ graceful: false }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
  const { server, url } = listening;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "");
  // Started once the server listens, so what GitHub redelivers finds the intake up.
  const redelivery = startMissedDeliveries(options, {
    boss,
    pool,
    redact,
    log: safeLog,
    github: deps.github,
  });
  return {
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    async stop(stopOptions = {}) {
      const graceful = stopOptions.graceful ?? true;
      await redelivery?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workers.stop({ wait: graceful });
      await boss.stop({ graceful });
      await pool.end();
    },
  };
}

/** The periodic scan for webhook deliveries GitHub could not hand over (app/intake/redeliver-missed.ts). */
function startMissedDeliveries(
  options: AppOptions,
  infra: {
    boss: PgBoss;
    pool: pg.Pool;
    redact: Redact;
    log: (line: string) => void;
    github: AppDeps["github"];
  },
) {
  const intervalSeconds = options.redeliverIntervalSeconds ?? 0;
  if (intervalSeconds <= 0) return undefined;
  return startRedelivery(
    {
      github: infra.github.asApp(),
      records: createRedeliveryRecords(infra.pool),
      wasReceived: (guid) => deliveryReceived(infra.boss, guid),
      redact: infra.redact,
      log: infra.log,
      now: Date.now,
    },
    { intervalSeconds },
  );
}

/** The queue, GitHub clients, dependencies and workers of a started app. */
async function startParts(
  options: AppOptions,
  infra: { boss: PgBoss; pool: pg.Pool; redact: Redact; log: (line: string) => void },
) {
  const { boss, pool, redact } = infra;
  const safeLog = infra.log;
  const intake = await createWebhookQueue(boss, pool);
  const enqueueDeploy = await createDeployQueue(
    boss,
    options.retryDelaySeconds === undefined ? {} : { retryDelaySeconds: options.retryDelaySeconds },
  );
  const github = createGitHubClients({
    appId: options.appId,
    privateKey: options.privateKey,
    ...(options.githubApiUrl === undefined ? {} : { baseUrl: options.githubApiUrl }),
    ...(options.throttle === undefined ? {} : { throttle: options.throttle }),
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
    log: safeLog,
  });
  const self = await github
    .asApp()
    .rest.apps.getAuthenticated()
    .then((response) => response.data)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `could not authenticate as GitHub App ${options.appId} at ${options.githubApiUrl ?? "https://api.github.com"}: ` +
          `${message}. Check APP_ID, PRIVATE_KEY and GITHUB_API_URL.`,
        { cause: error },
      );
    });
  const botLogin = `${self?.slug ?? "aether"}[bot]`;
  const deps: AppDeps = {
    records: createDeployRecords(pool),
    locks: createEnvironmentLocks(pool),
    github,
    store: options.store,
    target: options.target,
    enqueueDeploy,
    ...(options.previewDb === undefined ? {} : { previewDb: options.previewDb }),
    redact,
    provenance: options.provenance ?? DEFAULT_APP_PROVENANCE,
    botLogin,
    workerId: randomUUID(),
    inFlight: new Set(),
    leaseMs: options.leaseMs ?? 30_000,
    now: Date.now,
    log: safeLog,
  };
  const workers = await startWorkers(
    boss,
    deps,
    options.pollingIntervalSeconds === undefined
      ? {}
      : { pollingIntervalSeconds: options.pollingIntervalSeconds },
  );
  await startMaintenance({ boss, pool, deps, pollingIntervalSeconds: options.pollingIntervalSeconds });
  return { intake, deps, workers, botLogin };
}
