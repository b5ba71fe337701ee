import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import { manifestDigest } from "../../core/artifact/manifest-codec.ts";
import { deployKube } from "../../core/kube/deploy-kube.ts";
import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "../../core/kube/kube-client.ts";
import { needsTestServer, onRealCluster } from "../support/kube/kube-target.ts";
import { startKubeServer, type KubeTestServer } from "../support/kube/start-kube-server.ts";

// Pods here take long enough to become ready that the watch can be dropped while the rollout runs.
let kube: KubeTestServer;
let clients: KubeClients;
beforeAll(async () => {
  kube = await startKubeServer({ readyDelayMs: 2500 });
  clients = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: kube.kubeconfigPath }));
});
afterAll(async () => {
  await kube.stop();
});

const MANIFEST: ArtifactManifest = {
  schemaVersion: 1,
  mediaType: "application/vnd.aether.manifest.v1+json",
  runtime: { name: "python" },
  start: ["python3", "app.py"],
  port: 8000,
  healthPath: "/healthz",
  env: {},
  layers: [
    {
      role: "app",
      mediaType: "application/vnd.aether.layer.v1.tar+gzip",
      digest: `sha256:${"d".repeat(64)}`,
      size: 10,
      entries: 1,
    },
  ],
};

describe.skipIf(onRealCluster())(`deployKube with a dropped watch (${needsTestServer})`, () => {
  it("resumes the watch and reports the rollout ready", async () => {
    const path = "/apis/apps/v1/namespaces/default/deployments";
    let rolloutFrom = Number.POSITIVE_INFINITY;
    let dropped = false;
    const gets = () =>
      kube.control
        .requests()
        .slice(rolloutFrom)
        .filter((r) => r.method === "GET" && r.path === path).length;
    const outcome = await deployKube({
      clients,
      app: "api",
      env: "production",
      namespace: "default",
      repository: "octo/api",
      digest: manifestDigest(MANIFEST),
      manifest: MANIFEST,
      storeUrl: "s3://bucket/aether",
      runtimeImage: "ghcr.io/aether-dev/runtime-python:0.1.0",
      fetcherImage: "ghcr.io/aether-dev/fetcher:0.1.0",
      timeoutMs: 20_000,
      clock: () => performance.now(),
      onEvent: (event) => {
        if (event.type !== "phase-started" || event.phase !== "rollout") return;
        rolloutFrom = kube.control.requests().length;
        // Once the list and the watch reached the server, end the watch as a load balancer would.
        const timer = setInterval(() => {
          if (gets() < 2) return;
          clearInterval(timer);
          setTimeout(() => {
            kube.control.dropWatches();
            dropped = true;
          }, 50);
        }, 5);
      },
    });
    expect(outcome).toMatchObject({ ok: true, release: 1 });
    expect(dropped).toBe(true);
    // The list, the first watch, and the watch resumed after the drop: no polling in between.
    expect(gets()).toBe(3);
    const deployment = await clients.apps.readNamespacedDeployment({ name: "api", namespace: "default" });
    expect(deployment.status?.readyReplicas).toBe(1);
  });
});
