// `npm run bench -- kube [deploys] [readyDelayMs] [--keep]`: 20 deploys, one after another, to the Kubernetes API test
// server with no fault. For each: our client-side CPU time (process.cpuUsage around deployKube) and how long
// after the rollout became ready Aether reported it; then the same 20 rollouts watched by the naive peer,
// `kubectl rollout status`, timed from ready to its exit. Writes bench/results/kube.json.
//
// Each app is torn down after it is measured (not timed): the test server's controller reconciles every
// Deployment on every write, so with apps piling up its answers slow down for everyone; --keep keeps them.
//
// The test server runs in a child process (this file with --serve) so its CPU is not counted as ours. The
// child also watches the Deployments itself and stamps the moment each one first reads ready: the
// reference both Aether and kubectl are timed from ("server ready"). Times cross the process boundary as
// performance.timeOrigin + performance.now(), the same clock in both processes.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { ArtifactManifest } from "../core/artifact/manifest.ts";
import { manifestDigest } from "../core/artifact/manifest-codec.ts";
import { deployKube } from "../core/kube/deploy-kube.ts";
import { destroyKubeApp } from "../core/kube/destroy-kube-app.ts";
import { deploymentReadiness } from "../core/kube/deployment-readiness.ts";
import { kubeClientsFrom, loadKubeConfig } from "../core/kube/kube-client.ts";
import { renderApp } from "../core/kube/render-app.ts";
import { startKubeServer } from "../test/support/kube/start-kube-server.ts";
import { testManifest } from "../test/support/kube/render-fixtures.ts";
import { forwardHttp } from "../test/support/forward-http.ts";

/** The goal for the delay between a rollout being ready and Aether reporting it. */
export const GOAL_MS = 100;
const REPO = resolve(import.meta.dirname, "..");
const RESULT_FILE = join(REPO, "bench", "results", "kube.json");
const NAMESPACE = "bench";
const KUBECTL = "/usr/bin/kubectl";
const epoch = (): number => performance.timeOrigin + performance.now();

function manifest(app: string): ArtifactManifest {
  return testManifest({ APP: app });
}

const common = {
  env: "production",
  namespace: NAMESPACE,
  repository: "bench/app",
  storeUrl: "s3://bench/aether",
  runtimeImage: "ghcr.io/aether-dev/runtime-node:0.1.0",
  fetcherImage: "ghcr.io/aether-dev/fetcher:0.1.0",
};

/**
 * The child: the test server behind a stamping proxy, and a watch of its Deployments. It prints when each
 * Deployment first reads ready, and when each client first opened a watch on it (so a run where the
 * client was not yet watching when the rollout became ready can be told apart).
 */
async function serve(readyDelayMs: number): Promise<void> {
  const server = await startKubeServer({ readyDelayMs, namespaces: [NAMESPACE] });
  const upstream = new URL(server.url);
  const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
  // The parent has gone (finished or failed): stop quietly.
  process.stdout.on("error", () => process.exit(0));
  const proxy = createServer((req, res) => {
    const url = new URL(req.url ?? "/", server.url);
    const field = url.searchParams.get("fieldSelector") ?? "";
    const name = /metadata\.name=([^,]+)/.exec(field)?.[1];
    if (
      url.searchParams.get("watch") !== null &&
      url.pathname.endsWith("/deployments") &&
      name !== undefined
    ) {
      say({ watching: name, agent: req.headers["user-agent"] ?? "", at: epoch() });
    }
    forwardHttp(req, res, upstream);
  });
  await new Promise<void>((resolveListen) => proxy.listen(0, "127.0.0.1", resolveListen));
  const { port } = proxy.address() as AddressInfo;
  const kubeconfigPath = `${server.kubeconfigPath}-proxied`;
  const original = await readFile(server.kubeconfigPath, "utf8");
  await writeFile(kubeconfigPath, original.replace(server.url, `http://127.0.0.1:${port}`), { mode: 0o600 });
  // The observer talks to the server directly: it is the reference, not a client under test.
  const clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: server.kubeconfigPath }));
  const reported = new Set<string>();
  await clients.watch.watch(
    `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`,
    {},
    (_type: string, deployment: Parameters<typeof deploymentReadiness>[0]) => {
      const name = deployment.metadata?.name ?? "";
      if (reported.has(name) || deploymentReadiness(deployment).state !== "ready") return;
      reported.add(name);
      say({ ready: name, at: epoch() });
    },
    () => undefined,
  );
  say({ kubeconfigPath });
  process.stdin.resume();
  process.stdin.on("end", () => {
    proxy.closeAllConnections();
    proxy.close();
    void server.stop().then(() => process.exit(0));
  });
}

/** Starts the child and collects its ready stamps. */
async function startChild(readyDelayMs: number): Promise<{
  child: ChildProcess;
  kubeconfigPath: string;
  readyAt: (name: string) => Promise<number>;
  watchingSince: (name: string) => number | undefined;
}> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve", String(readyDelayMs)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const stamps = new Map<string, number>();
  const watching = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  let onConfig: (path: string) => void = () => undefined;
  const config = new Promise<string>((resolveConfig) => (onConfig = resolveConfig));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const message = JSON.parse(line) as {
      kubeconfigPath?: string;
      ready?: string;
      watching?: string;
      at?: number;
    };
    if (message.kubeconfigPath !== undefined) onConfig(message.kubeconfigPath);
    if (message.watching !== undefined && message.at !== undefined && !watching.has(message.watching))
      watching.set(message.watching, message.at);
    if (message.ready !== undefined && message.at !== undefined) {
      stamps.set(message.ready, message.at);
      waiters.get(message.ready)?.(message.at);
    }
  });
  return {
    child,
    kubeconfigPath: await config,
    readyAt: (name) => {
      const known = stamps.get(name);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolveStamp) => waiters.set(name, resolveStamp));
    },
    watchingSince: (name) => watching.get(name),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function stats(values: number[]): { p50: number; p95: number; max: number } | null {
  if (values.length === 0) return null;
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    max: round(Math.max(...values)),
  };
}

function runKubectl(
  args: string[],
  kubeconfigPath: string,
  stdin = "",
): Promise<{ code: number; out: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(KUBECTL, args, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", KUBECONFIG: kubeconfigPath },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code: code ?? -1, out }));
    child.stdin.end(stdin);
  });
}

interface AetherRun {
  app: string;
  cpuMs: number;
  /** deployKube's own figures: its watch saw the rollout ready → it returned. */
  readyToReportedMs: number;
  /** The server's ready stamp → deployKube's watch saw it (delivery over the watch). */
  serverReadyToSeenMs: number;
  /** The server's ready stamp → deployKube returned. */
  serverReadyToReportedMs: number;
  /** Whether the client's watch was open before the rollout became ready (else it learnt it by listing). */
  watchedBeforeReady: boolean;
  totalMs: number;
}

interface KubectlRun {
  app: string;
  serverReadyToExitMs: number;
  watchedBeforeReady: boolean;
}

async function main(): Promise<void> {
  const deploys = Number(process.argv[2] ?? 20);
  // Long enough that both clients are watching before the pods turn ready (kubectl takes a second or more
  // to start on a busy machine), so both are timed on noticing readiness, not on starting up.
  const readyDelayMs = Number(process.argv[3] ?? 4000);
  const keep = process.argv.includes("--keep");
  const { child, kubeconfigPath, readyAt, watchingSince } = await startChild(readyDelayMs);
  const before = (name: string, ready: number) => (watchingSince(name) ?? Infinity) < ready;
  try {
    const clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath }));
    const aether: AetherRun[] = [];
    for (let i = 1; i <= deploys; i += 1) {
      const app = `app-${String(i).padStart(2, "0")}`;
      const m = manifest(app);
      const cpuBefore = process.cpuUsage();
      const outcome = await deployKube({
        ...common,
        clients,
        app,
        digest: manifestDigest(m),
        manifest: m,
        timeoutMs: 60_000,
        clock: () => performance.now(),
      });
      const cpu = process.cpuUsage(cpuBefore);
      if (!outcome.ok) throw new Error(`deploy of ${app} failed: ${outcome.message}`);
      const serverReady = await readyAt(app);
      const run: AetherRun = {
        app,
        cpuMs: round((cpu.user + cpu.system) / 1000),
        readyToReportedMs: round(outcome.reportedAt - outcome.readyAt),
        serverReadyToSeenMs: round(performance.timeOrigin + outcome.readyAt - serverReady),
        serverReadyToReportedMs: round(performance.timeOrigin + outcome.reportedAt - serverReady),
        watchedBeforeReady: before(app, serverReady),
        totalMs: round(outcome.timings.total),
      };
      aether.push(run);
      console.log(`aether  ${JSON.stringify(run)}`);
      if (!keep) await destroyKubeApp({ clients, app, env: common.env, namespace: NAMESPACE });
    }
    const kubectl: KubectlRun[] = [];
    for (let i = 1; i <= deploys; i += 1) {
      const app = `peer-${String(i).padStart(2, "0")}`;
      const m = manifest(app);
      const objects = renderApp({ ...common, app, digest: manifestDigest(m), manifest: m, release: 1 });
      // A stream of JSON documents: kubectl's validation has no schema for a v1 List on this server.
      const list = objects.map((o) => JSON.stringify(o)).join("\n");
      const applied = await runKubectl(
        ["apply", "--server-side", "--field-manager=bench", "-f", "-"],
        kubeconfigPath,
        list,
      );
      if (applied.code !== 0) throw new Error(`kubectl apply of ${app} failed: ${applied.out}`);
      const status = await runKubectl(
        ["rollout", "status", `deployment/${app}`, "-n", NAMESPACE, "--timeout=60s"],
        kubeconfigPath,
      );
      const exited = epoch();
      if (status.code !== 0) throw new Error(`kubectl rollout status of ${app} failed: ${status.out}`);
      const serverReady = await readyAt(app);
      const run: KubectlRun = {
        app,
        serverReadyToExitMs: round(exited - serverReady),
        watchedBeforeReady: before(app, serverReady),
      };
      kubectl.push(run);
      console.log(`kubectl ${JSON.stringify(run)}`);
      if (!keep) await destroyKubeApp({ clients, app, env: common.env, namespace: NAMESPACE });
    }
    const watched = aether.filter((a) => a.watchedBeforeReady);
    const kubectlWatched = kubectl.filter((k) => k.watchedBeforeReady);
    const kubectlVersion = spawnSync(KUBECTL, ["version", "--client", "-o", "json"], { encoding: "utf8" });
    const [load1 = 0, load5 = 0] = loadavg();
    const result = {
      deploys,
      readyDelayMs,
      keptApps: keep,
      goalMs: GOAL_MS,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "",
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        loadAverage: [round(load1), round(load5)],
        node: process.version,
        kubectl: (JSON.parse(kubectlVersion.stdout || "{}") as { clientVersion?: { gitVersion?: string } })
          .clientVersion?.gitVersion,
      },
      aether: {
        cpuMs: stats(aether.map((a) => a.cpuMs)),
        readyToReportedMs: stats(aether.map((a) => a.readyToReportedMs)),
        watchedBeforeReady: watched.length,
        serverReadyToSeenMs: stats(watched.map((a) => a.serverReadyToSeenMs)),
        serverReadyToReportedMs: stats(watched.map((a) => a.serverReadyToReportedMs)),
        totalMs: stats(aether.map((a) => a.totalMs)),
        runs: aether,
      },
      kubectlRolloutStatus: {
        watchedBeforeReady: kubectlWatched.length,
        serverReadyToExitMs: stats(kubectlWatched.map((k) => k.serverReadyToExitMs)),
        allRunsServerReadyToExitMs: stats(kubectl.map((k) => k.serverReadyToExitMs)),
        runs: kubectl,
      },
    };
    const p95 = result.aether.readyToReportedMs?.p95 ?? Infinity;
    console.log(
      `\naether: cpu/deploy p50 ${result.aether.cpuMs?.p50} ms; ready→reported p50 ${result.aether.readyToReportedMs?.p50} ms, p95 ${p95} ms (goal < ${GOAL_MS} ms: ${p95 < GOAL_MS ? "met" : "NOT met"}); server ready→reported p50 ${result.aether.serverReadyToReportedMs?.p50} ms (${watched.length} runs watching before ready)`,
    );
    console.log(
      `kubectl rollout status: server ready→exit p50 ${result.kubectlRolloutStatus.serverReadyToExitMs?.p50} ms, p95 ${result.kubectlRolloutStatus.serverReadyToExitMs?.p95} ms (${kubectlWatched.length} runs watching before ready)`,
    );
    await mkdir(join(REPO, "bench", "results"), { recursive: true });
    await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${RESULT_FILE}`);
  } finally {
    child.stdin?.end();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

if (process.argv[2] === "--serve") await serve(Number(process.argv[3] ?? 4000));
else await main();
