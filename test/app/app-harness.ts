/**
 * Test support for the app's end-to-end tests: the GitHub test server with one repository, a real PostgreSQL,
 * a folder store with artifacts built by core/pipeline, the local target, and the app itself on a free port.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { destroyLocal } from "../../core/local/destroy-local.ts";
import { spawnSupervisorProcess } from "../../core/local/spawn-supervisor-process.ts";
import { buildArtifact, type BuildArtifactRequest } from "../../core/pipeline/build-artifact.ts";
import { refRecordOf } from "../../core/pipeline/ref-record-of.ts";
import { createFolderStore } from "../../core/store/folder-store.ts";
import type { ArtifactStore } from "../../core/store/store.ts";
import { createRunCommand } from "../../core/util/run-command.ts";
import { parseApiTokens } from "../../app/api/api-tokens.ts";
import { createLocalTarget, localTargetDir } from "../../app/targets/local-target.ts";
import { startApp, type AppOptions, type RunningApp } from "../../app/server/start-app.ts";
import type { AppProvenance } from "../../app/worker/artifact-provenance.ts";
import { adminFor, startPostgresServer, type PostgresTestServer } from "../support/postgres-server.ts";
import {
  generateAppKey,
  signedDelivery,
  startGitHubServer,
  type GitHubTestServer,
} from "../support/github/index.ts";
import { APP_ID, INSTALLATION, REPO, SECRET } from "./app-constants.ts";
import { commentPayload } from "./payloads.ts";

export { APP_ID, INSTALLATION, REPO, SECRET };
export const SUPERVISOR_ENTRY = fileURLToPath(new URL("../../cli/local-supervisor.ts", import.meta.url));

export interface Harness {
  github: GitHubTestServer;
  pg: PostgresTestServer;
  store: ArtifactStore;
  work: string;
  key: { privateKey: string };
  app: RunningApp;
  targetDir: string;
  /** The `--data-dir` of an `aether app` process run against this harness. */
  dataDir: string;
  logLines: string[];
  /**
   * Builds a tiny Node app printing `version` into the store, indexed under (REPO, sha, path) with the build's
   * figures, as the build action does; `path` is the app's folder in a monorepo (the root by default).
   */
  build(
    sha: string,
    version: string,
    options?: { startDelayMs?: number; path?: string; attest?: BuildArtifactRequest["attest"] },
  ): Promise<string>;
  /** POSTs a signed webhook delivery to the app; `secret` other than the app's forges it. */
  deliver(
    event: string,
    payload: unknown,
    options?: {
      deliveryId?: string;
      secret?: string;
      /** A push that arrives late, after newer ones: GitHub's branch stays where they moved it. */
      late?: boolean;
    },
  ): Promise<{ status: number; deliveryId: string }>;
  /** A person's comment on a pull request, as GitHub would hold it (so reactions to it resolve). */
  seedComment(request: { pr: number; user: string; body: string }): number;
  /** `user` comments `body` on pull request `pr`: seeded as GitHub holds it, then delivered. Its comment id. */
  comment(request: { pr: number; user: string; body: string }): Promise<number>;
  /** The app's reply to a command comment (of `kind`, when given), once it is there. */
  replyTo(commentId: number, kind?: string): Promise<{ body: string }>;
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<T[]>;
  appOptions(): AppOptions;
  /** The environment an `aether app` process needs to run against this harness (GitHub, database). */
  appProcessEnv(): Record<string, string | undefined>;
  stop(): Promise<void>;
}

/** A made-up commit SHA whose short form differs from every other seed's. */
export function shaOf(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

/** Polls `check` until it returns a value (not undefined/false), or throws after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startHarness(
  options: {
    startApp?: boolean;
    leaseMs?: number;
    apiTokens?: string;
    oidcIssuer?: string;
    provenance?: AppProvenance;
  } = {},
): Promise<Harness> {
  const key = generateAppKey();
  const github = await startGitHubServer({ app: { id: APP_ID, privateKey: key.privateKey } });
  github.state.addRepo({ owner: "acme", name: "shop", installationId: INSTALLATION });
  const pgServer = await startPostgresServer();
  const work = await mkdtemp(join(tmpdir(), "aether-app-"));
  const store = createFolderStore(join(work, "store"));
  // Where `aether app --data-dir <work>/data` keeps its environments too.
  const dataDir = join(work, "data");
  const targetDir = localTargetDir(dataDir);
  const logLines: string[] = [];
  const launchSupervisor = spawnSupervisorProcess(SUPERVISOR_ENTRY, process.execPath);
  const previewDb = adminFor(pgServer);
  const databaseUrl = pgServer.url;
  const appOptions = (): AppOptions => ({
    appId: APP_ID,
    privateKey: key.privateKey,
    webhookSecret: SECRET,
    githubApiUrl: github.url,
    databaseUrl,
    previewDb,
    store,
    target: createLocalTarget({ stateDir: targetDir, store, launchSupervisor, healthTimeoutMs: 15_000 }),
    apiTokens: parseApiTokens(options.apiTokens),
    ...(options.oidcIssuer === undefined ? {} : { oidcIssuer: options.oidcIssuer }),
    ...(options.provenance === undefined ? {} : { provenance: options.provenance }),
    port: 0,
    leaseMs: options.leaseMs ?? 5000,
    throttle: { enabled: false },
    retryBaseMs: 1,
    retryDelaySeconds: 1,
    pollingIntervalSeconds: 0.5,
    log: (line) => logLines.push(line),
  });
  const app =
    options.startApp === false ? (undefined as unknown as RunningApp) : await startApp(appOptions());
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on("error", () => undefined);
  const harness: Harness = {
    github,
    pg: pgServer,
    store,
    work,
    key,
    app,
    targetDir,
    dataDir,
    logLines,
    appOptions,
    appProcessEnv: () => ({
      ...process.env,
      NO_COLOR: "1",
      APP_ID: String(APP_ID),
      PRIVATE_KEY: key.privateKey,
      WEBHOOK_SECRET: SECRET,
      GITHUB_API_URL: github.url,
      DATABASE_URL: databaseUrl,
    }),
    async build(sha, version, buildOptions = {}) {
      const dir = join(work, "src", `${version}-${sha.slice(0, 7)}`);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, "package.json"),
        JSON.stringify({
          name: "shop",
          version: "1.0.0",
          type: "module",
          scripts: { start: "node server.js" },
        }),
      );
      await writeFile(join(dir, "server.js"), serverSource(version, buildOptions.startDelayMs ?? 0));
      const built = await buildArtifact({
        dir,
        store,
        cacheDir: join(work, "cache"),
        epoch: 315532800,
        platform: `${process.platform}-${process.arch}`,
        run: createRunCommand(process.env),
        clock: () => performance.now(),
        onEvent: () => undefined,
        ...(buildOptions.attest ? { attest: buildOptions.attest } : {}),
      });
      const path = buildOptions.path ?? ".";
      await store.putRef(
        { repository: REPO, commit: sha, path },
        refRecordOf(built, { path, builtAt: new Date(), builder: "test" }),
      );
      return built.digest;
    },
    async deliver(event, payload, deliverOptions = {}) {
      if (deliverOptions.late !== true) pushMovesBranch(github, event, payload);
      const signed = signedDelivery({
        event,
        payload,
        secret: deliverOptions.secret ?? SECRET,
        ...(deliverOptions.deliveryId ? { deliveryId: deliverOptions.deliveryId } : {}),
      });
      const response = await fetch(harness.app.webhookUrl, {
        method: "POST",
        headers: signed.headers,
        body: signed.body,
      });
      await response.text();
      return { status: response.status, deliveryId: signed.deliveryId };
    },
    async comment(request) {
      const commentId = harness.seedComment(request);
      const delivered = await harness.deliver(
        "issue_comment",
        commentPayload(request.body, { user: request.user, pr: request.pr, commentId }),
      );
      if (delivered.status !== 202) throw new Error(`the app answered ${delivered.status} to a comment`);
      return commentId;
    },
    replyTo(commentId, kind) {
      const marker =
        kind === undefined ? `aether:reply to=${commentId} ` : `aether:reply to=${commentId} kind=${kind} `;
      return waitFor(`reply to comment ${commentId}`, () =>
        github.state.comments.find((c) => c.body.includes(marker)),
      );
    },
    seedComment(request) {
      const id = github.state.id();
      const at = github.state.timestamp();
      github.state.comments.push({
        repo: REPO,
        issueNumber: request.pr,
        id,
        body: request.body,
        user: request.user,
        createdAt: at,
        updatedAt: at,
      });
      return id;
    },
    async query(sql, values = []) {
      return (await pool.query(sql, values)).rows;
    },
    async stop() {
      await harness.app?.stop().catch(() => undefined);
      const envs = await readdir(join(targetDir, "envs")).catch(() => []);
      for (const envName of envs) await destroyLocal({ stateDir: targetDir, envName }).catch(() => undefined);
      await pool.end();
      await previewDb.close();
      await pgServer.stop();
      await github.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
  return harness;
}

function serverSource(version: string, startDelayMs: number): string {
  return `import { createServer } from "node:http";
const server = createServer((req, res) => {
  if (req.url === "/health") return res.end("ok");
  if (req.url === "/db") return res.end(process.env.DATABASE_URL ? "database" : "none");
  res.end("hello ${version}");
});
setTimeout(() => server.listen(Number(process.env.PORT), "127.0.0.1"), ${startDelayMs});
`;
}

/**
 * A push event means GitHub's branch is now at the pushed commit: the app checks the branch head before it
 * deploys a push, so the GitHub test server must say so as GitHub would.
 */
export function pushMovesBranch(github: GitHubTestServer, event: string, payload: unknown): void {
  if (event !== "push" || payload === null || typeof payload !== "object") return;
  const { ref, after, repository } = payload as { ref?: unknown; after?: unknown; repository?: unknown };
  const fullName = (repository as { full_name?: unknown } | undefined)?.full_name;
  if (typeof ref !== "string" || typeof after !== "string" || typeof fullName !== "string") return;
  if (!ref.startsWith("refs/heads/") || /^0+$/.test(after)) return;
  github.state.repo(fullName).branches.set(ref.slice("refs/heads/".length), after);
}
