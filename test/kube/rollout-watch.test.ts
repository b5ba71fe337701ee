import type { V1Deployment } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { watchRollout } from "../../core/kube/watch-rollout.ts";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { targetClients } from "../support/kube/render-fixtures.ts";
import { testNamespaces } from "../support/kube/test-namespaces.ts";

let target: KubeTarget;
let clients: KubeClients;
const namespaces = testNamespaces("rollout-watch", () => clients);
beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 30 });
  clients = targetClients(target);
});
afterAll(async () => {
  await namespaces.deleteAll();
  await target.stop();
});

const clock = () => performance.now();
const namespace = () => namespaces.create();

function deployment(input: { namespace: string; image: string; deadline?: number }): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: input.namespace },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: input.deadline ?? 60,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "app", image: input.image }] },
      },
    },
  };
}

/** Read, change, replace; again on a 409 (the controller wrote the status in between), as clients must. */
async function setImage(ns: string, image: string): Promise<void> {
  for (;;) {
    const current = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
    const container = current.spec?.template.spec?.containers[0];
    if (container) container.image = image;
    try {
      await clients.apps.replaceNamespacedDeployment({ name: "web", namespace: ns, body: current });
      return;
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === 409)) throw error;
    }
  }
}

/** Waits (reading, as a test may) until the controller has observed the Deployment and started its pod. */
async function observed(ns: string): Promise<void> {
  for (;;) {
    const d = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
    if ((d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && d.status?.updatedReplicas)
      return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Starts watching a stuck, observed rollout, then changes its spec: the list already showed the observed
 * state, so a "new spec" message can only come through the watch, and once it arrives the watch is open.
 */
async function openWatch(
  ns: string,
): Promise<{ open: Promise<void>; result: ReturnType<typeof watchRollout> }> {
  await observed(ns);
  let listed: () => void = () => undefined;
  let opened: () => void = () => undefined;
  const first = new Promise<void>((r) => (listed = r));
  const open = new Promise<void>((r) => (opened = r));
  let changed = false;
  const result = watchRollout({
    clients,
    namespace: ns,
    name: "web",
    timeoutMs: 20_000,
    clock,
    onProgress: (message) => {
      listed();
      if (changed && /new spec/.test(message)) opened();
    },
  });
  void first.then(() => {
    changed = true;
    // Never ready either: the rollout must still be in progress when the test drops or compacts the watch.
    target.control?.injectPodFault({ type: "never-ready", image: `ghcr.io/example/stuck:${ns}` });
    return setImage(ns, `ghcr.io/example/stuck:${ns}`);
  });
  return { open, result };
}

describe("watchRollout", () => {
  it("reports a rollout ready from watch events, without polling the Deployment", async () => {
    const ns = await namespace();
    await clients.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ namespace: ns, image: "ghcr.io/example/ok:1" }),
    });
    const started = clock();
    const result = await watchRollout({ clients, namespace: ns, name: "web", timeoutMs: 20_000, clock });
    expect(result).toMatchObject({ ok: true, message: "1/1 replicas ready" });
    if (result.ok) expect(result.readyAt).toBeGreaterThanOrEqual(started);
    const status = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
    expect(status.status?.availableReplicas).toBe(1);
  });

  describe.skipIf(onRealCluster())(`with injected faults (${needsTestServer})`, () => {
    it("learns of readiness through one watch: one list, one watch, no polling", async () => {
      const ns = await namespace();
      target.control?.injectPodFault({ type: "never-ready", image: "ghcr.io/example/stuck:0" });
      await clients.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment({ namespace: ns, image: "ghcr.io/example/stuck:0" }),
      });
      await observed(ns);
      const before = target.control?.requests().length ?? 0;
      let listed: () => void = () => undefined;
      const first = new Promise<void>((r) => (listed = r));
      const watching = watchRollout({
        clients,
        namespace: ns,
        name: "web",
        timeoutMs: 20_000,
        clock,
        onProgress: () => listed(),
      });
      await first;
      await setImage(ns, "ghcr.io/example/ok:0");
      expect(await watching).toMatchObject({ ok: true, resumed: 0 });
      const gets = (target.control?.requests() ?? [])
        .slice(before)
        .filter((r) => r.method === "GET" && r.path === `/apis/apps/v1/namespaces/${ns}/deployments`);
      expect(gets).toHaveLength(2);
    });

    it("resumes a dropped watch from its resourceVersion and still sees the rollout complete", async () => {
      const ns = await namespace();
      target.control?.injectPodFault({ type: "never-ready", image: "ghcr.io/example/stuck:1" });
      await clients.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment({ namespace: ns, image: "ghcr.io/example/stuck:1" }),
      });
      const watching = await openWatch(ns);
      await watching.open;
      target.control?.dropWatches();
      await setImage(ns, "ghcr.io/example/ok:2");
      const result = await watching.result;
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.resumed).toBeGreaterThanOrEqual(1);
    });

    it("re-lists after a 410 Expired and still completes", async () => {
      const ns = await namespace();
      target.control?.injectPodFault({ type: "never-ready", image: "ghcr.io/example/stuck:3" });
      await clients.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment({ namespace: ns, image: "ghcr.io/example/stuck:3" }),
      });
      const watching = await openWatch(ns);
      await watching.open;
      // A write after the last Deployment event, then compaction: resuming from that event's version is 410.
      await clients.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "bump" } } });
      target.control?.compact();
      target.control?.dropWatches();
      await setImage(ns, "ghcr.io/example/ok:4");
      const result = await watching.result;
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.resumed).toBeGreaterThanOrEqual(1);
    });

    it("fails on ProgressDeadlineExceeded, on its own timeout, and when aborted", async () => {
      target.control?.injectPodFault({ type: "never-ready", image: "ghcr.io/example/never:1" });
      const ns = await namespace();
      await clients.apps.createNamespacedDeployment({
        namespace: ns,
        body: deployment({ namespace: ns, image: "ghcr.io/example/never:1", deadline: 1 }),
      });
      const slow = await namespace();
      await clients.apps.createNamespacedDeployment({
        namespace: slow,
        body: deployment({ namespace: slow, image: "ghcr.io/example/never:1", deadline: 600 }),
      });
      const [deadline, timeout] = await Promise.all([
        watchRollout({ clients, namespace: ns, name: "web", timeoutMs: 20_000, clock }),
        watchRollout({ clients, namespace: slow, name: "web", timeoutMs: 200, clock }),
      ]);
      expect(deadline).toMatchObject({
        ok: false,
        reason: "deadline-exceeded",
        message: expect.stringContaining('deployment "web" exceeded its progress deadline'),
      });
      expect(timeout).toMatchObject({ ok: false, reason: "timeout" });
      const abort = new AbortController();
      const aborted = watchRollout({
        clients,
        namespace: ns,
        name: "missing",
        timeoutMs: 20_000,
        clock,
        signal: abort.signal,
      });
      abort.abort();
      expect(await aborted).toMatchObject({ ok: false, reason: "aborted" });
    });
  });
});
