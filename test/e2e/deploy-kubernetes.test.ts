import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "../../core/kube/kube-client.ts";
import { readKubeReleaseHistory } from "../../core/kube/kube-release-history.ts";
import { freePort } from "../support/postgres-server.ts";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { runAether } from "../support/run-aether.ts";

let work: string;
let target: KubeTarget;
let clients: KubeClients;
let namespace: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "aether-e2e-kube-"));
  target = await kubeTarget({ readyDelayMs: 20 });
  clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: target.kubeconfigPath }));
  namespace = `e2e-deploy-${process.pid}`;
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  const site = join(work, "site", "public");
  await mkdir(site, { recursive: true });
  await writeFile(join(site, "index.html"), "<h1>hello from the cluster</h1>\n");
});
afterAll(async () => {
  await clients.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await target.stop();
  await rm(work, { recursive: true, force: true });
});

const kube = () => [
  "--target",
  "kubernetes",
  "--kubeconfig",
  target.kubeconfigPath,
  "--namespace",
  namespace,
];

describe("aether deploy --target kubernetes", () => {
  it("builds, applies and watches the rollout, then prints where it is live", async () => {
    const run = await runAether(["deploy", "site", ...kube(), "--host", "site.example.com"], { cwd: work });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const phase of ["detect", "build", "pack", "upload", "start", "healthy"])
      expect(run.stdout).toMatch(new RegExp(`✔ ${phase} `));
    expect(run.stdout).toContain(`→ kubernetes/${namespace}/production`);
    expect(run.stdout).toMatch(/objects applied/);
    expect(run.stdout).toContain(
      `Live at http://site.example.com  (kubernetes/${namespace}/production, release 1)`,
    );
    expect(run.stdout).toMatch(/detect\s+build\s+pack\s+upload\s+apply\s+rollout\s+total/);
    expect(run.stdout).toContain(`logs site --target kubernetes --namespace ${namespace}`);
    const deployment = await clients.apps.readNamespacedDeployment({ name: "site", namespace });
    expect(deployment.metadata?.annotations?.["aether.dev/release"]).toBe("1");
    // The static runtime runs on the Node runtime image (one map of runtime to image).
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(
      "ghcr.io/aether-dev/runtime-node:0.1.0",
    );
    const { releases } = await readKubeReleaseHistory({ clients, namespace, app: "site", env: "production" });
    expect(releases).toMatchObject([{ release: 1, status: "live" }]);
  });

  it.skipIf(onRealCluster())(
    `reports a crash loop in JSON and rolls back to the release that served (${needsTestServer})`,
    async () => {
      const image = `ghcr.io/example/broken-runtime-${process.pid}:1`;
      target.control?.injectPodFault({ type: "crash-loop", image, lastLines: ["Error: Cannot find module"] });
      await writeFile(join(work, "site", "public", "index.html"), "<h1>second</h1>\n");
      const run = await runAether(
        ["deploy", "site", ...kube(), "--runtime-image", image, "--health-timeout", "1", "--json"],
        { cwd: work },
      );
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as {
        ok: boolean;
        target: string;
        failure: { phase: string; message: string; logTail: string[] };
        kubernetes: { runtimeImage: string; outcome: { rolledBackTo?: number; explanation: string[] } };
      };
      expect(report).toMatchObject({ ok: false, target: "kubernetes", failure: { phase: "healthy" } });
      expect(report.failure.message).toContain("release 2 did not become ready");
      expect(report.failure.logTail).toContain("Error: Cannot find module");
      expect(report.kubernetes.runtimeImage).toBe(image);
      expect(report.kubernetes.outcome.rolledBackTo).toBe(1);
      expect(report.kubernetes.outcome.explanation[0]).toContain(
        'container "app" keeps crashing: exit code 1',
      );
      const deployment = await clients.apps.readNamespacedDeployment({ name: "site", namespace });
      expect(deployment.metadata?.annotations?.["aether.dev/release"]).toBe("1");
    },
  );

  it("says clearly when the API server cannot be reached, before building", async () => {
    const port = await freePort();
    const config = join(work, "unreachable.kubeconfig");
    await writeFile(
      config,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:" +
          port +
          "', insecure-skip-tls-verify: true}}]",
        "users: [{name: u, user: {token: t}}]",
        "contexts: [{name: x, context: {cluster: c, user: u}}]",
        "current-context: x",
        "",
      ].join("\n"),
    );
    const run = await runAether(["deploy", "site", "--target", "kubernetes", "--kubeconfig", config], {
      cwd: work,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot reach the Kubernetes API server at https://127.0.0.1:${port}`);
    expect(run.stdout).not.toContain("✔ detect");
  });

  it("names the kubeconfig problem: an unknown context, an expired token", async () => {
    const context = await runAether(["deploy", "site", ...kube(), "--context", "nope", "--json"], {
      cwd: work,
    });
    expect(context.code).toBe(1);
    expect(JSON.parse(context.stdout)).toMatchObject({
      ok: false,
      target: "kubernetes",
      message: expect.stringContaining('it has no context "nope" (contexts: aether-test)'),
    });
    if (target.control === undefined) return;
    target.control.setToken("rotated");
    try {
      const expired = await runAether(["deploy", "site", ...kube()], { cwd: work });
      expect(expired.code).toBe(1);
      expect(expired.stderr).toContain("rejected the credentials (401 Unauthorized)");
    } finally {
      target.control.setToken("aether-test-token");
    }
  });

  it("refuses flags that belong to the other target", async () => {
    const port = await runAether(["deploy", "site", ...kube(), "--port", "5000"], { cwd: work });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port is for the local target");
    const ns = await runAether(["deploy", "site", "--namespace", "x"], { cwd: work });
    expect(ns.code).toBe(2);
    expect(ns.stderr).toContain("--namespace needs --target kubernetes");
  });
});
