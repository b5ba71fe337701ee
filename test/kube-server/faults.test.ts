import { CoreV1Api, KubeConfig, Watch, type V1Pod } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { needsTestServer, onRealCluster } from "../support/kube/kube-target.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";
import { startKubeServer, type KubeTestServer } from "../support/kube/start-kube-server.ts";
import { webManifest } from "./manifests.ts";

// Fault injection exists only on the test server: on a real cluster these tests skip.
let kube: KubeTestServer;
const kubectl = (args: string[], stdin?: string) =>
  runKubectl(
    args,
    stdin === undefined
      ? { kubeconfigPath: kube.kubeconfigPath }
      : { kubeconfigPath: kube.kubeconfigPath, stdin },
  );

beforeEach(async () => {
  kube = await startKubeServer({ readyDelayMs: 50 });
});
afterEach(async () => {
  await kube.stop();
});

async function podsOnceSettled(condition: (pods: V1Pod[]) => boolean): Promise<V1Pod[]> {
  const config = new KubeConfig();
  config.loadFromFile(kube.kubeconfigPath);
  const core = config.makeApiClient(CoreV1Api);
  for (;;) {
    const pods = (await core.listNamespacedPod({ namespace: "default" })).items;
    if (condition(pods)) return pods;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(onRealCluster())(
  `faults injected into the Kubernetes test server (${needsTestServer})`,
  () => {
    it("shows an image pull failure in pod state and events, and the rollout misses its deadline", async () => {
      kube.control.injectPodFault({ type: "image-pull-failure", image: "ghcr.io/example/missing:1" });
      await kubectl(
        ["apply", "-f", "-"],
        webManifest({ namespace: "default", image: "ghcr.io/example/missing:1", deadline: 1 }),
      );
      const pods = await podsOnceSettled(
        (p) =>
          p.length === 2 &&
          p.every((x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff"),
      );
      expect(pods[0]?.status?.phase).toBe("Pending");
      const status = await kubectl(["rollout", "status", "deploy/web", "--timeout=20s"]);
      expect(status.stderr).toContain('error: deployment "web" exceeded its progress deadline');
      const events = JSON.parse((await kubectl(["get", "events", "-o", "json"])).stdout);
      const messages: string[] = events.items.map((e: { message: string }) => e.message);
      expect(messages).toContain('Back-off pulling image "ghcr.io/example/missing:1"');
      expect(messages.some((m) => m.startsWith('Failed to pull image "ghcr.io/example/missing:1"'))).toBe(
        true,
      );
    });

    it("crash-loops a container with a restart count, a BackOff event and its last log lines", async () => {
      kube.control.injectPodFault({ type: "crash-loop", lastLines: ["panic: DATABASE_URL is not set"] });
      await kubectl(["apply", "-f", "-"], webManifest({ namespace: "default", replicas: 1 }));
      const [pod] = await podsOnceSettled(
        (p) => p.length === 1 && (p[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
      );
      const state = pod?.status?.containerStatuses?.[0];
      expect(state?.state?.waiting?.reason).toBe("CrashLoopBackOff");
      expect(state?.lastState?.terminated?.exitCode).toBe(1);
      const logs = await kubectl(["logs", pod?.metadata?.name ?? "", "--tail=1"]);
      expect(logs.stdout).toBe("panic: DATABASE_URL is not set\n");
    });

    it("ends open watches when told to drop them", async () => {
      const config = new KubeConfig();
      config.loadFromFile(kube.kubeconfigPath);
      const ended = new Promise<string>((resolve) => {
        void new Watch(config).watch(
          "/api/v1/namespaces/default/pods",
          {},
          () => undefined,
          (err: unknown) => resolve(String(err)),
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      kube.control.dropWatches();
      expect(await ended).toBeTruthy();
    });

    it("answers 401 to an expired token, as kubectl reports it", async () => {
      kube.control.setToken("rotated");
      const denied = await kubectl(["get", "pods"]);
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain(
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)",
      );
    });
  },
);
