import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type V1Deployment,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";

let target: KubeTarget;
let config: KubeConfig;
let counter = 0;

async function freshNamespace(): Promise<string> {
  counter += 1;
  const name = `aether-client-${process.pid}-${counter}`;
  await config.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

function deployment(namespace: string, replicas = 1, image = "ghcr.io/example/web:1.0.0"): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace, labels: { app: "web" } },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image }] } },
    },
  };
}

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  config = new KubeConfig();
  config.loadFromFile(target.kubeconfigPath);
});
afterAll(async () => {
  await target.stop();
});

describe("@kubernetes/client-node against the Kubernetes API", () => {
  it("answers a stale update with 409 Conflict and accepts the fresh one", async () => {
    const ns = await freshNamespace();
    // A ConfigMap, which no controller writes to, so the only writer is the test.
    const core = config.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "settings" }, data: { mode: "a" } },
    });
    const first = structuredClone(created);
    first.data = { mode: "b" };
    const updated = await core.replaceNamespacedConfigMap({ name: "settings", namespace: ns, body: first });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    const stale = structuredClone(created);
    stale.data = { mode: "c" };
    const error = await core
      .replaceNamespacedConfigMap({ name: "settings", namespace: ns, body: stale })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 409 });
    expect(String((error as { body: unknown }).body)).toContain(
      'Operation cannot be fulfilled on configmaps \\"settings\\": the object has been modified',
    );
    const fresh = await core.readNamespacedConfigMap({ name: "settings", namespace: ns });
    expect(fresh.data).toEqual({ mode: "b" });
  });

  it("applies server-side, records the manager and refuses another manager's field unless forced", async () => {
    const ns = await freshNamespace();
    const objects = KubernetesObjectApi.makeApiClient(config);
    const applied = await objects.patch(
      deployment(ns, 2),
      undefined,
      undefined,
      "aether",
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.managedFields?.map((m) => [m.manager, m.operation])).toEqual([
      ["aether", "Apply"],
    ]);
    // A field the manager stops applying, and no one else owns, is removed.
    const annotated = deployment(ns, 2);
    annotated.metadata!.annotations = { "aether.dev/release": "1" };
    await objects.patch(annotated, undefined, undefined, "aether", false, PatchStrategy.ServerSideApply);
    const pruned = await objects.patch(
      deployment(ns, 2),
      undefined,
      undefined,
      "aether",
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(pruned.metadata?.annotations?.["aether.dev/release"]).toBeUndefined();
    const conflict = await objects
      .patch(deployment(ns, 4), undefined, undefined, "someone-else", false, PatchStrategy.ServerSideApply)
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: 409 });
    const status = JSON.parse(String((conflict as { body: unknown }).body));
    expect(status.reason).toBe("Conflict");
    expect(status.details.causes).toContainEqual({
      reason: "FieldManagerConflict",
      message: 'conflict with "aether" using apps/v1',
      field: ".spec.replicas",
    });
    const forced = await objects.patch(
      deployment(ns, 4),
      undefined,
      undefined,
      "someone-else",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((forced as V1Deployment).spec?.replicas).toBe(4);
    // The controller's own writes (status, revision annotation) appear too, as kube-controller-manager.
    expect(forced.metadata?.managedFields?.map((m) => m.manager)).toEqual(
      expect.arrayContaining(["aether", "someone-else"]),
    );
  });

  it("watches a Deployment until it is available, resuming from a resourceVersion", async () => {
    const ns = await freshNamespace();
    const apps = config.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: deployment(ns, 2) });
    const seen: string[] = [];
    const available = await new Promise<V1Deployment>((resolve, reject) => {
      void new Watch(config)
        .watch(
          `/apis/apps/v1/namespaces/${ns}/deployments`,
          { resourceVersion: created.metadata?.resourceVersion, fieldSelector: "metadata.name=web" },
          (phase, object: V1Deployment) => {
            seen.push(phase);
            if (object.status?.availableReplicas === 2 && object.status.updatedReplicas === 2)
              resolve(object);
          },
          (err: unknown) => (err === null || err === undefined ? undefined : reject(err)),
        )
        .then((controller) => setTimeout(() => controller.abort(), 10_000));
    });
    expect(seen.every((p) => p === "MODIFIED")).toBe(true);
    expect(available.status?.observedGeneration).toBe(1);
    expect(available.status?.conditions?.find((c) => c.type === "Available")?.status).toBe("True");
    const pods = await config
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: ns, labelSelector: "app in (web),pod-template-hash" });
    expect(pods.items).toHaveLength(2);
  });

  it.skipIf(onRealCluster())(
    `answers 410 Gone to a watch from a compacted resourceVersion (${needsTestServer})`,
    async () => {
      const ns = await freshNamespace();
      const before = await config.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: ns });
      target.control?.compact();
      const events: unknown[] = [];
      await new Promise<void>((resolve) => {
        void new Watch(config).watch(
          `/api/v1/namespaces/${ns}/configmaps`,
          { resourceVersion: String(Number(before.metadata?.resourceVersion) - 1) },
          (phase, object) => events.push({ phase, object }),
          () => resolve(),
        );
      });
      expect(events).toContainEqual({
        phase: "ERROR",
        object: expect.objectContaining({ code: 410, reason: "Expired" }),
      });
    },
  );

  it.skipIf(onRealCluster())(`answers injected 500s, then recovers (${needsTestServer})`, async () => {
    const core = config.makeApiClient(CoreV1Api);
    target.control?.failNextRequests(1);
    const error = await core.listNamespace().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 500 });
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toContain("default");
  });
});
