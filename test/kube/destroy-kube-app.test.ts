import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyObjects } from "../../core/kube/apply-objects.ts";
import { destroyKubeApp, NamespaceNotManagedError } from "../../core/kube/destroy-kube-app.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { previewNamespaceName, renderPreviewNamespace } from "../../core/kube/render-preview-namespace.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { renderTestApp, targetClients, testNamespace } from "../support/kube/render-fixtures.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";

let target: KubeTarget;
let clients: KubeClients;
const cleanup: string[] = [];

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  clients = targetClients(target);
});
afterAll(async () => {
  for (const ns of cleanup) await kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
  await target.stop();
});

const kubectl = (args: string[]) => runKubectl(args, { kubeconfigPath: target.kubeconfigPath });

async function namespacePhase(name: string): Promise<string> {
  const result = await kubectl(["get", "namespace", name, "-o", "jsonpath={.status.phase}"]);
  return result.code === 0 ? result.stdout : "NotFound";
}

describe("destroyKubeApp", () => {
  it("tears down a preview (app and namespace) and is a no-op the second time", async () => {
    const pr = 6000 + (process.pid % 1000);
    const namespace = previewNamespaceName("octo/web", pr);
    cleanup.push(namespace);
    const env = `pr-${pr}`;
    await applyObjects({
      clients,
      objects: [
        ...renderPreviewNamespace({
          repository: "octo/web",
          pullRequest: pr,
          expiresAt: "2030-01-01T00:00:00.000Z",
          ingressNamespace: "ingress-nginx",
        }),
        ...renderTestApp({ namespace, env }),
      ],
    });
    const first = await destroyKubeApp({ clients, app: "web", env, namespace, deleteNamespace: true });
    expect(first.deleted.map((d) => `${d.kind}/${d.name}`)).toEqual([
      "Ingress/web",
      "Service/web",
      "Deployment/web",
      "ServiceAccount/web",
      `Namespace/${namespace}`,
    ]);
    expect(["Terminating", "NotFound"]).toContain(await namespacePhase(namespace));
    const second = await destroyKubeApp({ clients, app: "web", env, namespace, deleteNamespace: true });
    expect(second.deleted).toEqual([]);
  });

  it("in a shared namespace deletes only this app in this env, and never a namespace Aether did not make", async () => {
    const namespace = `aether-destroy-${process.pid}`;
    cleanup.push(namespace);
    await applyObjects({ clients, objects: [testNamespace(namespace), ...renderTestApp({ namespace })] });
    await applyObjects({ clients, objects: renderTestApp({ namespace, app: "api", host: null }) });

    const refused = await destroyKubeApp({
      clients,
      app: "web",
      env: "staging",
      namespace,
      deleteNamespace: true,
    })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NamespaceNotManagedError);
    expect(String(refused)).toContain(`Refusing to delete namespace "${namespace}"`);
    // Refused before touching anything.
    expect((await kubectl(["get", "deployment", "web", "-n", namespace])).code).toBe(0);

    const { deleted } = await destroyKubeApp({ clients, app: "web", env: "staging", namespace });
    expect(deleted.map((d) => `${d.kind}/${d.name}`)).toEqual([
      "Ingress/web",
      "Service/web",
      "Deployment/web",
      "ServiceAccount/web",
    ]);
    expect(await namespacePhase(namespace)).toBe("Active");
    const left = await kubectl(["get", "deployments,services", "-n", namespace, "-o", "name"]);
    expect(left.stdout.trim().split("\n").sort()).toEqual(["deployment.apps/api", "service/api"]);
    expect((await destroyKubeApp({ clients, app: "web", env: "staging", namespace })).deleted).toEqual([]);
  });
});
