import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { kubeStatusError, KubeForbiddenError } from "../../core/kube/kube-errors.ts";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";

// The test server's 403s (RBAC denial, quota) must be the Status objects a real API server sends: the real
// kubectl reads them as Forbidden StatusErrors and prints the server's message.
let target: KubeTarget;
const namespace = `aether-kubectl-403-${process.pid}`;

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  const created = await kubectl(["apply", "--server-side", "-f", "-"], stringify(namespaceObject()));
  expect(created.stderr).toBe("");
});
afterAll(async () => {
  await kubectl(["delete", "namespace", namespace, "--wait=false"]);
  await target.stop();
});

const kubectl = (args: string[], stdin?: string) =>
  runKubectl(args, { kubeconfigPath: target.kubeconfigPath, ...(stdin === undefined ? {} : { stdin }) });

function namespaceObject() {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } };
}

// Services, not ConfigMaps: a cluster puts kube-root-ca.crt in every namespace, which a ConfigMap quota counts.
const service = (name: string) =>
  stringify({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { ports: [{ port: 80, protocol: "TCP" }] },
  });

describe("403 Status objects, read by the real kubectl", () => {
  it("an exceeded ResourceQuota", async () => {
    const quota = stringify({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "one-service", namespace },
      spec: { hard: { services: "1" } },
    });
    expect((await kubectl(["apply", "--server-side", "-f", "-"], quota)).code).toBe(0);
    if (target.kind === "cluster") await quotaComputed();
    expect((await kubectl(["apply", "--server-side", "-f", "-"], service("first"))).code).toBe(0);
    const second = await kubectl(["apply", "--server-side", "-f", "-"], service("second"));
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain("Error from server (Forbidden):");
    expect(second.stderr).toContain(
      'services "second" is forbidden: exceeded quota: one-service, requested: services=1, used: services=1, limited: services=1',
    );
  });

  it.skipIf(onRealCluster())(
    `an RBAC denial for one verb in one namespace (${needsTestServer})`,
    async () => {
      target.control?.forbid({ verb: "list", resource: "configmaps", namespace });
      try {
        const denied = await kubectl(["get", "configmaps", "-n", namespace]);
        expect(denied.code).not.toBe(0);
        expect(denied.stderr).toContain(
          `Error from server (Forbidden): configmaps is forbidden: User "aether-test" cannot list resource "configmaps" in API group "" in the namespace "${namespace}"`,
        );
        // Other verbs and namespaces are still allowed.
        const get = await kubectl(["get", "configmap", "absent", "-n", namespace]);
        expect(get.stderr).toContain('Error from server (NotFound): configmaps "absent" not found');
        expect((await kubectl(["get", "configmaps", "-n", "default"])).code).toBe(0);
      } finally {
        target.control?.clearForbidden();
      }
    },
  );
});

describe("a 403 that is not an RBAC denial", () => {
  it("a namespace being deleted says to wait, not to grant permissions", () => {
    // The Status an API server answers when content is created in a terminating namespace.
    const error = kubeStatusError({
      server: "https://k8s.example:6443",
      operation: { verb: "patch", resource: "services", namespace: "pr-7", name: "web" },
      status: {
        code: 403,
        reason: "Forbidden",
        message:
          'services "web" is forbidden: unable to create new content in namespace pr-7 because it is being terminated',
        causes: [],
      },
    });
    expect(error).toBeInstanceOf(KubeForbiddenError);
    expect(error.message).toContain('Namespace "pr-7" is being deleted: wait until it is gone');
    expect(error.message).not.toContain("Grant the deployer");
  });
});

async function quotaComputed(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const hard = await kubectl([
      "get",
      "resourcequota",
      "one-service",
      "-n",
      namespace,
      "-o",
      "jsonpath={.status.hard}",
    ]);
    if (hard.stdout.trim() !== "") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
