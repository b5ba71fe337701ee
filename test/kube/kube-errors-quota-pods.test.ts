import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyObjects } from "../../core/kube/apply-objects.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import type { KubeObject } from "../../core/kube/kube-object.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { renderTestApp, targetClients, testNamespace } from "../support/kube/render-fixtures.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";

// A quota that admits the Deployment but not all of its pods: the apply succeeds and the ReplicaSet
// controller reports the refusal as a FailedCreate event, which is where a rollout's explanation finds it.
let target: KubeTarget;
let clients: KubeClients;
const namespace = `aether-quota-pods-${process.pid}`;

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  clients = targetClients(target);
});
afterAll(async () => {
  await kubectl(["delete", "namespace", namespace, "--wait=false"]);
  await target.stop();
});

const kubectl = (args: string[]) => runKubectl(args, { kubeconfigPath: target.kubeconfigPath });

describe("pods over a compute quota", () => {
  it("are refused one by one with the quota's message in a FailedCreate event", async () => {
    const quota: KubeObject = {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "half-cpu", namespace },
      // One pod's effective limit is its init container's 500m (more than the app container's 250m).
      spec: { hard: { "limits.cpu": "500m", "limits.memory": "1Gi" } },
    };
    await applyObjects({ clients, objects: [testNamespace(namespace), quota] });
    if (target.kind === "cluster") await quotaComputed();
    const { applied } = await applyObjects({
      clients,
      objects: renderTestApp({ namespace, replicas: 2, host: null }),
    });
    expect(applied.map((a) => a.kind)).toContain("Deployment");

    const message = await failedCreate();
    expect(message).toMatch(
      /^Error creating: pods "web-[a-z0-9-]+" is forbidden: exceeded quota: half-cpu, requested: limits\.cpu=500m, used: limits\.cpu=500m, limited: limits\.cpu=500m$/,
    );
    const pods = await kubectl(["get", "pods", "-n", namespace, "-o", "name"]);
    expect(pods.stdout.trim().split("\n")).toHaveLength(1);
  });
});

/** The first FailedCreate event's message, once the controller has recorded it (asked as a person would, with kubectl). */
async function failedCreate(): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const events = await kubectl([
      "get",
      "events",
      "-n",
      namespace,
      "--field-selector",
      "reason=FailedCreate",
      "-o",
      "jsonpath={.items[0].message}",
    ]);
    if (events.stdout.trim() !== "") return events.stdout.trim();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return "(no FailedCreate event)";
}

async function quotaComputed(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const hard = await kubectl([
      "get",
      "resourcequota",
      "half-cpu",
      "-n",
      namespace,
      "-o",
      "jsonpath={.status.hard}",
    ]);
    if (hard.stdout.trim() !== "") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
