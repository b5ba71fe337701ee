import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { applyObjects, KubeApplyConflictError } from "../../core/kube/apply-objects.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { previewNamespaceName, renderPreviewNamespace } from "../../core/kube/render-preview-namespace.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { renderTestApp, targetClients, testNamespace } from "../support/kube/render-fixtures.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";

let target: KubeTarget;
let clients: KubeClients;
const namespaces: string[] = [];
let counter = 0;

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  clients = targetClients(target);
});
afterAll(async () => {
  for (const ns of namespaces) await kubectl(["delete", "namespace", ns, "--wait=false"]);
  await target.stop();
});

const kubectl = (args: string[], stdin?: string) =>
  runKubectl(args, { kubeconfigPath: target.kubeconfigPath, ...(stdin === undefined ? {} : { stdin }) });

function freshNamespace(): string {
  counter += 1;
  const name = `aether-apply-${process.pid}-${counter}`;
  namespaces.push(name);
  return name;
}

async function getJson(args: string[]): Promise<Record<string, unknown>> {
  const result = await kubectl(["get", ...args, "-o", "json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe("applyObjects", () => {
  it("creates a preview namespace and the app in it, namespace first, managed by aether", async () => {
    const pr = 5000 + (process.pid % 1000);
    const namespace = previewNamespaceName("octo/web", pr);
    namespaces.push(namespace);
    const guardRails = renderPreviewNamespace({
      repository: "octo/web",
      pullRequest: pr,
      expiresAt: "2030-01-01T00:00:00.000Z",
      ingressNamespace: "ingress-nginx",
    });
    // The app first on purpose: applyObjects must still create the namespace before its content.
    const objects = [...renderTestApp({ namespace, env: `pr-${pr}` }), ...guardRails];
    const { applied } = await applyObjects({ clients, objects });
    expect(applied.map((a) => a.kind)).toEqual([
      "Namespace",
      "ResourceQuota",
      "LimitRange",
      "NetworkPolicy",
      "ServiceAccount",
      "Service",
      "Deployment",
      "Ingress",
    ]);
    expect(applied.every((a) => a.created)).toBe(true);
    // The NetworkPolicy keeps its `from` (client-node's typed serializer would have renamed it `_from`).
    const policy = await getJson(["networkpolicy", "aether-default-deny", "-n", namespace]);
    expect(JSON.stringify(policy.spec)).toContain('"from":[{"namespaceSelector"');
    const limits = await getJson(["limitrange", "aether-preview", "-n", namespace]);
    expect(JSON.stringify(limits.spec)).toContain('"default":{"cpu":"250m"');
  });

  it("updates in place on a second apply, and records aether as the Apply manager", async () => {
    const namespace = freshNamespace();
    const first = await applyObjects({
      clients,
      objects: [testNamespace(namespace), ...renderTestApp({ namespace, replicas: 1 })],
    });
    const deployment = first.applied.find((a) => a.kind === "Deployment");
    expect(deployment).toMatchObject({ created: true, generation: 1, namespace, name: "web" });
    const second = await applyObjects({
      clients,
      objects: [testNamespace(namespace), ...renderTestApp({ namespace, replicas: 2, release: 2 })],
    });
    const updated = second.applied.find((a) => a.kind === "Deployment");
    expect(updated).toMatchObject({ created: false, generation: 2 });
    expect(second.applied.every((a) => !a.created)).toBe(true);
    const live = await getJson(["deployment", "web", "-n", namespace, "--show-managed-fields"]);
    expect(live.spec).toMatchObject({ replicas: 2 });
    const metadata = live.metadata as { managedFields: { manager: string; operation: string }[] };
    expect(metadata.managedFields).toContainEqual(
      expect.objectContaining({ manager: "aether", operation: "Apply" }),
    );
  });

  it("reports a field another manager took, naming the field and the manager, and never forces", async () => {
    const namespace = freshNamespace();
    await applyObjects({ clients, objects: [testNamespace(namespace), ...renderTestApp({ namespace })] });
    // Someone scales the Deployment with their own server-side apply, taking .spec.replicas from aether.
    const scale = stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace },
      spec: { replicas: 3 },
    });
    const taken = await kubectl(
      ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"],
      scale,
    );
    expect(taken.stderr).toBe("");
    const attempt = applyObjects({ clients, objects: renderTestApp({ namespace, replicas: 1 }) });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApplyConflictError);
    const conflict = error as KubeApplyConflictError;
    expect(conflict.conflicts).toContainEqual(
      expect.objectContaining({ field: ".spec.replicas", manager: "other" }),
    );
    expect(conflict.message).toContain(`deployments.apps "web" in namespace "${namespace}"`);
    expect(conflict.message).toContain('.spec.replicas is owned by "other"');
    expect(conflict.message).toContain("--force-conflicts --field-manager=aether");
    // Not forced: the other manager's value stands.
    const live = await getJson(["deployment", "web", "-n", namespace]);
    expect(live.spec).toMatchObject({ replicas: 3 });
  });

  it("stops when its signal is aborted, applying nothing more", async () => {
    const namespace = freshNamespace();
    const controller = new AbortController();
    const applied: string[] = [];
    const attempt = applyObjects({
      clients,
      objects: [testNamespace(namespace), ...renderTestApp({ namespace })],
      signal: controller.signal,
      onApplied: (object) => {
        applied.push(object.kind);
        if (object.kind === "ServiceAccount") controller.abort(new Error("deploy cancelled"));
      },
    });
    await expect(attempt).rejects.toThrow("deploy cancelled");
    expect(applied).toEqual(["Namespace", "ServiceAccount"]);
    expect((await kubectl(["get", "service", "web", "-n", namespace])).code).not.toBe(0);
  });

  it("refuses a namespaced object without a namespace instead of using the kubeconfig's default", async () => {
    const [account] = renderTestApp({ namespace: "x" });
    const metadata = { name: account!.metadata.name };
    const error = await applyObjects({ clients, objects: [{ ...account!, metadata }] }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toContain('ServiceAccount "web" has no metadata.namespace');
  });
});
