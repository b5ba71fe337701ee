import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifestDigest } from "../../core/artifact/manifest-codec.ts";
import { deployKube } from "../../core/kube/deploy-kube.ts";
import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "../../core/kube/kube-client.ts";
import type { KubeLogLine } from "../../core/kube/merge-log-lines.ts";
import { kubeTarget, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";
import { testManifest } from "../support/kube/render-fixtures.ts";
import { runAether } from "../support/run-aether.ts";

const CLI = fileURLToPath(new URL("../../cli/main.ts", import.meta.url));

let target: KubeTarget;
let clients: KubeClients;
let cwd: string;
let namespace: string;
beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 20 });
  clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: target.kubeconfigPath }));
  cwd = await mkdtemp(join(tmpdir(), "aether-logs-kube-"));
  namespace = `logs-cli-${process.pid}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  for (const version of ["1", "2"]) {
    const outcome = await deployKube(deployRequest(version));
    if (!outcome.ok) throw new Error(`deploy ${version} failed: ${outcome.message}`);
  }
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
  await target.stop();
});

function deployRequest(version: string) {
  const manifest = testManifest({ VERSION: version });

  return {
    clients,
    app: "web",
    env: "production",
    namespace,
    repository: "octo/web",
    digest: manifestDigest(manifest),
    manifest,
    storeUrl: "s3://bucket/aether",
    runtimeImage: "ghcr.io/aether-dev/runtime-node:0.1.0",
    fetcherImage: "ghcr.io/aether-dev/fetcher:0.1.0",
    timeoutMs: 10_000,
    clock: () => performance.now(),
  };
}

const kube = () => [
  "--target",
  "kubernetes",
  "--kubeconfig",
  target.kubeconfigPath,
  "--namespace",
  namespace,
];

async function podNames(): Promise<string[]> {
  const list = await clients.core.listNamespacedPod({
    namespace,
    labelSelector: "app.kubernetes.io/name=web",
  });
  return list.items.map((p) => p.metadata?.name ?? "").sort();
}

describe.skipIf(onRealCluster())("aether logs/status/destroy --target kubernetes (test server)", () => {
  it("prints JSON lines that agree with kubectl logs --timestamps on the same pod, and plain lines by pod", async () => {
    const [pod = ""] = await podNames();
    target.control?.appendLog({ namespace, pod, container: "app", text: "GET /health 200" });
    const json = await runAether(["logs", "web", ...kube(), "--json"], { cwd });
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as KubeLogLine);
    expect(Object.keys(lines[0] ?? {}).sort()).toEqual(["container", "line", "pod", "time"]);
    const kubectl = await runKubectl(["logs", pod, "-n", namespace, "-c", "app", "--timestamps"], {
      kubeconfigPath: target.kubeconfigPath,
    });
    expect(kubectl.code).toBe(0);
    const ours = lines.filter((l) => l.pod === pod).map((l) => `${l.time} ${l.line}`);
    expect(ours).toEqual(kubectl.stdout.trimEnd().split("\n"));
    expect(ours.at(-1)).toMatch(/ GET \/health 200$/);

    const plain = await runAether(["logs", "web", ...kube(), "--tail", "1"], { cwd });
    expect(plain.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${pod} GET /health 200\\n$`));
  });

  it("follows until interrupted with Ctrl-C", async () => {
    const [pod = ""] = await podNames();
    const child = spawn(process.execPath, [CLI, "logs", "web", ...kube(), "--follow", "--tail", "1"], {
      cwd,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (stdout.includes(text) ? resolve() : undefined);
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          check();
        });
        check();
      });
    await seen(pod);
    target.control?.appendLog({ namespace, pod, container: "app", text: "while following" });
    await seen("while following");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("shows each app's release, artifact and ready replicas, and the history of one", async () => {
    const all = await runAether(["status", ...kube()], { cwd });
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/web\s+production\s+2\s+1\/1\s+ready\s+sha256:/);
    const one = await runAether(["status", "web", ...kube(), "--json"], { cwd });
    const [status] = JSON.parse(one.stdout) as {
      release: number;
      history: { release: number; status: string }[];
    }[];
    expect(status?.release).toBe(2);
    expect(status?.history.map((r) => [r.release, r.status])).toEqual([
      [1, "superseded"],
      [2, "live"],
    ]);
  });

  it("refuses Kubernetes options on the local target and unknown targets", async () => {
    const local = await runAether(["logs", "--container", "app"], { cwd });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain("--container needs --target kubernetes");
    const other = await runAether(["status", "--target", "nomad"], { cwd });
    expect(other.code).toBe(2);
  });

  it("destroys the app's objects, then has nothing left to destroy", async () => {
    const first = await runAether(["destroy", "web", ...kube()], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Deployment/web");
    const second = await runAether(["destroy", "--app", "web", ...kube()], { cwd });
    expect(second.stdout).toContain("Nothing to destroy");
    const status = await runAether(["status", "web", ...kube()], { cwd });
    expect(status.stdout).toContain('No app "web"');
    const logs = await runAether(["logs", "web", ...kube()], { cwd });
    expect(logs.code).toBe(1);
    expect(logs.stderr).toContain(`No pod of "web" (production) in namespace "${namespace}"`);
  });
});
