import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";
import { webManifest } from "./manifests.ts";

// Each test works in its own namespace, so the suite also runs against a real cluster (AETHER_TEST_KUBECONFIG).
let target: KubeTarget;
let counter = 0;
const kubectl = (args: string[], more: { stdin?: string; killAfterMs?: number } = {}) =>
  runKubectl(args, { kubeconfigPath: target.kubeconfigPath, ...more });

async function freshNamespace(): Promise<string> {
  counter += 1;
  const name = `aether-fidelity-${process.pid}-${counter}`;
  // `kubectl create namespace` sends protobuf, which the test server does not decode: apply sends JSON.
  const created = await kubectl(["apply", "-f", "-"], {
    stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`,
  });
  expect(created.stderr).toBe("");
  return name;
}

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 100 });
});
afterAll(async () => {
  await target.stop();
});

describe("the real kubectl against the Kubernetes API", () => {
  it("applies a Deployment, Service and Ingress client-side and returns what was applied", async () => {
    const ns = await freshNamespace();
    const applied = await kubectl(["apply", "-f", "-"], { stdin: webManifest({ namespace: ns }) });
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toBe(
      "deployment.apps/web created\nservice/web created\ningress.networking.k8s.io/web created\n",
    );
    const got = await kubectl(["get", "deploy", "web", "-n", ns, "-o", "json"]);
    const deployment = JSON.parse(got.stdout);
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].image).toBe("ghcr.io/example/web:1.0.0");
    expect(deployment.spec.template.spec.containers[0].ports[0]).toEqual({
      containerPort: 8080,
      protocol: "TCP",
    });
    expect(deployment.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain(
      '"web"',
    );
    const again = await kubectl(["apply", "-f", "-"], { stdin: webManifest({ namespace: ns, replicas: 3 }) });
    expect(again.stdout).toContain("deployment.apps/web configured\nservice/web unchanged\n");
    const scaled = JSON.parse((await kubectl(["get", "deploy", "web", "-n", ns, "-o", "json"])).stdout);
    expect(scaled.spec.replicas).toBe(3);
    expect(scaled.metadata.generation).toBe(2);
    const ingress = JSON.parse((await kubectl(["get", "ingress", "web", "-n", ns, "-o", "json"])).stdout);
    expect(ingress.spec.rules[0].host).toBe("pr-1.preview.example.com");
  });

  it("applies server-side with a field manager and tracks it in managedFields", async () => {
    const ns = await freshNamespace();
    const applied = await kubectl(["apply", "--server-side", "--field-manager=aether", "-f", "-"], {
      stdin: webManifest({ namespace: ns }),
    });
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("deployment.apps/web serverside-applied");
    const yaml = await kubectl(["get", "deploy", "web", "-n", ns, "-o", "yaml", "--show-managed-fields"]);
    expect(yaml.stdout).toContain("manager: aether");
    expect(yaml.stdout).toContain("operation: Apply");
    expect(yaml.stdout).toContain("f:replicas: {}");
  });

  it("reports a server-side apply conflict with the manager that owns the field", async () => {
    const ns = await freshNamespace();
    await kubectl(["apply", "-f", "-"], { stdin: webManifest({ namespace: ns }) });
    const conflict = await kubectl(["apply", "--server-side", "--field-manager=aether", "-f", "-"], {
      stdin: webManifest({ namespace: ns, replicas: 5 }),
    });
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    const forced = await kubectl(
      ["apply", "--server-side", "--force-conflicts", "--field-manager=aether", "-f", "-"],
      {
        stdin: webManifest({ namespace: ns, replicas: 5 }),
      },
    );
    expect(forced.code).toBe(0);
    const deployment = JSON.parse((await kubectl(["get", "deploy", "web", "-n", ns, "-o", "json"])).stdout);
    expect(deployment.spec.replicas).toBe(5);
  });

  it("waits for a rollout with kubectl rollout status, then shows the pods' logs", async () => {
    const ns = await freshNamespace();
    await kubectl(["apply", "-f", "-"], { stdin: webManifest({ namespace: ns }) });
    const status = await kubectl(["rollout", "status", "deploy/web", "-n", ns, "--timeout=20s"]);
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    expect(status.code).toBe(0);
    const pods = JSON.parse((await kubectl(["get", "pods", "-n", ns, "-l", "app=web", "-o", "json"])).stdout);
    expect(pods.items).toHaveLength(2);
    const pod: string = pods.items[0].metadata.name;
    if (target.kind === "test-server") {
      const tail = await kubectl(["logs", pod, "-n", ns, "--tail=1"]);
      expect(tail.stdout).toBe(`${pod}/app listening on :8080\n`);
      setTimeout(
        () => target.control?.appendLog({ namespace: ns, pod, container: "app", text: "GET /healthz 200" }),
        400,
      );
      const follow = await kubectl(["logs", "-f", pod, "-n", ns, "-c", "app"], { killAfterMs: 1500 });
      expect(follow.stdout).toBe(`${pod}/app starting\n${pod}/app listening on :8080\nGET /healthz 200\n`);
    }
  });

  it.skipIf(onRealCluster())(
    `fails kubectl rollout status on ProgressDeadlineExceeded (${needsTestServer})`,
    async () => {
      const ns = await freshNamespace();
      target.control?.injectPodFault({ type: "never-ready", image: "ghcr.io/example/never:1" });
      await kubectl(["apply", "-f", "-"], {
        stdin: webManifest({ namespace: ns, image: "ghcr.io/example/never:1", deadline: 1 }),
      });
      const status = await kubectl(["rollout", "status", "deploy/web", "-n", ns, "--timeout=20s"]);
      expect(status.code).not.toBe(0);
      expect(status.stderr).toContain('error: deployment "web" exceeded its progress deadline');
      const events = await kubectl(["get", "events", "-n", ns, "-o", "json"]);
      expect(events.stdout).toContain("Readiness probe failed");
    },
  );

  it("rolls back with kubectl rollout undo to the previous ReplicaSet, keeping the history", async () => {
    const ns = await freshNamespace();
    await kubectl(["apply", "-f", "-"], { stdin: webManifest({ namespace: ns }) });
    await kubectl(["rollout", "status", "deploy/web", "-n", ns, "--timeout=20s"]);
    await kubectl(["apply", "-f", "-"], {
      stdin: webManifest({ namespace: ns, image: "ghcr.io/example/web:2.0.0" }),
    });
    await kubectl(["rollout", "status", "deploy/web", "-n", ns, "--timeout=20s"]);
    const undo = await kubectl(["rollout", "undo", "deploy/web", "-n", ns]);
    expect(undo.stdout).toBe("deployment.apps/web rolled back\n");
    const status = await kubectl(["rollout", "status", "deploy/web", "-n", ns, "--timeout=20s"]);
    expect(status.stdout).toContain("successfully rolled out");
    const deployment = JSON.parse((await kubectl(["get", "deploy", "web", "-n", ns, "-o", "json"])).stdout);
    expect(deployment.spec.template.spec.containers[0].image).toBe("ghcr.io/example/web:1.0.0");
    expect(deployment.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("3");
    const sets = JSON.parse((await kubectl(["get", "rs", "-n", ns, "-o", "json"])).stdout);
    const replicas = sets.items.map(
      (rs: { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } }) => [
        rs.spec.template.spec.containers[0]?.image,
        rs.spec.replicas,
      ],
    );
    expect(replicas.sort()).toEqual([
      ["ghcr.io/example/web:1.0.0", 2],
      ["ghcr.io/example/web:2.0.0", 0],
    ]);
  });

  it("deletes a Deployment with its ReplicaSets and pods", async () => {
    const ns = await freshNamespace();
    await kubectl(["apply", "-f", "-"], { stdin: webManifest({ namespace: ns }) });
    await kubectl(["rollout", "status", "deploy/web", "-n", ns, "--timeout=20s"]);
    const deleted = await kubectl(["delete", "deploy", "web", "-n", ns]);
    expect(deleted.stdout).toBe('deployment.apps "web" deleted\n');
    const left = await kubectl(["get", "rs,pods", "-n", ns, "-o", "name"]);
    expect(left.stdout).toBe("");
    const again = await kubectl(["delete", "deploy", "web", "-n", ns]);
    expect(again.stderr).toBe('Error from server (NotFound): deployments.apps "web" not found\n');
  });

  it("rejects an invalid Deployment with the error text of a real API server", async () => {
    const ns = await freshNamespace();
    const invalid = await kubectl(["apply", "-f", "-"], {
      stdin: webManifest({ namespace: ns, labels: "other" }),
    });
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain(
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
    const unknown = await kubectl(["apply", "-f", "-"], {
      stdin: webManifest({ namespace: ns }).replace("image: ghcr", "imagePolicy: x\n        image: ghcr"),
    });
    expect(unknown.stderr).toContain(
      'strict decoding error: unknown field "spec.template.spec.containers[0].imagePolicy"',
    );
  });
});
