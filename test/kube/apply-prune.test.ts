import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { applyObjects } from "../../core/kube/apply-objects.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { appSelector } from "../../core/kube/kube-labels.ts";
import { pruneObjects } from "../../core/kube/prune-objects.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { renderTestApp, targetClients, testNamespace } from "../support/kube/render-fixtures.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";

let target: KubeTarget;
let clients: KubeClients;
const namespace = `aether-prune-${process.pid}`;

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  clients = targetClients(target);
  await applyObjects({ clients, objects: [testNamespace(namespace)] });
});
afterAll(async () => {
  await kubectl(["delete", "namespace", namespace, "--wait=false"]);
  await target.stop();
});

const kubectl = (args: string[], stdin?: string) =>
  runKubectl(args, { kubeconfigPath: target.kubeconfigPath, ...(stdin === undefined ? {} : { stdin }) });

function ingress(name: string, labels: Record<string, string>) {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace, labels },
    spec: {
      rules: [
        {
          host: `${name}.example.com`,
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  };
}

async function names(kind: string): Promise<string[]> {
  const result = await kubectl(["get", kind, "-n", namespace, "-o", "json"]);
  const list = JSON.parse(result.stdout) as { items: { metadata: { name: string } }[] };
  return list.items.map((i) => i.metadata.name).sort();
}

describe("pruneObjects", () => {
  it("removes the Ingress a new release no longer renders and leaves everything not Aether's alone", async () => {
    await applyObjects({ clients, objects: renderTestApp({ namespace, env: "staging" }) });
    // The same app in another env, sharing the namespace: not part of this release's set.
    await applyObjects({ clients, objects: renderTestApp({ namespace, env: "production" }).map(renamed) });
    // A person's Ingress without labels, and one with the app's labels but another manager's label.
    const helmLabels = {
      ...appSelector({ app: "web", env: "staging" }),
      "app.kubernetes.io/managed-by": "Helm",
    };
    const foreign = [ingress("hand-made", {}), ingress("helm-made", helmLabels)];
    const created = await kubectl(["apply", "-f", "-"], foreign.map((o) => stringify(o)).join("---\n"));
    expect(created.stderr).toBe("");
    expect(await names("ingress")).toEqual(["hand-made", "helm-made", "web", "web-production"]);

    const next = renderTestApp({ namespace, env: "staging", host: null, release: 2 });
    await applyObjects({ clients, objects: next });
    const { pruned } = await pruneObjects({ clients, app: "web", env: "staging", namespace, keep: next });

    expect(pruned).toEqual([{ apiVersion: "networking.k8s.io/v1", kind: "Ingress", namespace, name: "web" }]);
    expect(await names("ingress")).toEqual(["hand-made", "helm-made", "web-production"]);
    expect(await names("deployment")).toEqual(["web", "web-production"]);
    expect(await names("service")).toEqual(["web", "web-production"]);
    // Nothing left to prune: a repeat is a no-op.
    const again = await pruneObjects({ clients, app: "web", env: "staging", namespace, keep: next });
    expect(again.pruned).toEqual([]);
  });
});

/** Gives the production copy its own names so both envs live side by side in one namespace. */
function renamed<T extends { metadata: { name: string } }>(object: T): T {
  return { ...object, metadata: { ...object.metadata, name: `${object.metadata.name}-production` } };
}
