import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChart, type RenderedObject } from "../support/helm/render-chart.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";
import { installValues } from "./install-values.ts";
import { NOT_SERVED_BY_TEST_SERVER, servedKinds } from "./served-kinds.ts";

let target: KubeTarget;
let served: Set<string>;
/** Everything applied, deleted after the file (it matters on a real cluster: ClusterRoles outlive namespaces). */
const appliedStreams: string[] = [];
/** A suffix so names never collide with what a real cluster already holds. */
const run = randomBytes(3).toString("hex");

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 20 });
  served = await servedKinds(target.kubeconfigPath);
});
afterAll(async () => {
  for (const stream of appliedStreams.reverse()) {
    await runKubectl(["delete", "--ignore-not-found", "--wait=false", "-f", "-"], {
      kubeconfigPath: target.kubeconfigPath,
      stdin: stream,
    });
  }
  await target?.stop();
});

const kindOf = (o: RenderedObject) => `${String(o.object["apiVersion"])}/${String(o.object["kind"])}`;
const namespaceYaml = (name: string) =>
  stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

/**
 * Applies the objects the cluster serves with the real `kubectl apply --server-side` (strict field
 * validation, the server's 422s) and returns kubectl's outcome and what had to be left out.
 */
async function apply(objects: RenderedObject[], namespaces: string[]) {
  const applied = objects.filter((o) => served.has(kindOf(o)));
  const skipped = objects.filter((o) => !served.has(kindOf(o))).map(kindOf);
  const stream = [...namespaces.map(namespaceYaml), ...applied.map((o) => stringify(o.object))].join("---\n");
  appliedStreams.push(stream);
  const result = await runKubectl(["apply", "--server-side", "--field-manager=helm", "-f", "-"], {
    kubeconfigPath: target.kubeconfigPath,
    stdin: stream,
  });
  return { result, applied, skipped };
}

describe("the chart applied with the real kubectl", () => {
  it("is accepted in full when previews are off (Roles in listed namespaces) and rolls out", async () => {
    const chart = await renderChart({
      releaseName: `prod-${run}`,
      namespace: `aether-system-${run}`,
      values: installValues({
        previews: { enabled: false },
        rbac: { namespaces: [`shop-prod-${run}`, `shop-staging-${run}`] },
        replicaCount: 1,
        ingress: {
          enabled: true,
          host: "aether.example.com",
          className: "nginx",
          tlsSecretName: "aether-tls",
        },
      }),
    });
    const { result, applied, skipped } = await apply(chart.objects, [
      `aether-system-${run}`,
      `shop-prod-${run}`,
      `shop-staging-${run}`,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(skipped).toEqual([]);
    expect(result.stdout.match(/serverside-applied/g)).toHaveLength(applied.length + 3);
    const rollout = await runKubectl(
      ["rollout", "status", `deployment/prod-${run}-aether`, "-n", `aether-system-${run}`, "--timeout=20s"],
      { kubeconfigPath: target.kubeconfigPath },
    );
    expect(rollout.stdout).toContain("successfully rolled out");
    const stored = await runKubectl(
      ["get", "deployment", `prod-${run}-aether`, "-n", `aether-system-${run}`, "-o", "json"],
      {
        kubeconfigPath: target.kubeconfigPath,
      },
    );
    const container = JSON.parse(stored.stdout).spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("is accepted with the defaults (previews on) and with the embedded PostgreSQL", async () => {
    const chart = await renderChart({
      releaseName: `aether-${run}`,
      namespace: `aether-${run}`,
      values: installValues({ postgresql: { enabled: true, password: "pg-Pass_1" }, database: { url: "" } }),
    });
    const { result, applied, skipped } = await apply(chart.objects, [`aether-${run}`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(applied.map(kindOf)).toContain("apps/v1/Deployment");
    // What the test server cannot take is only what it does not serve at all (a real cluster serves it).
    if (target.kind === "test-server")
      for (const kind of skipped) expect(NOT_SERVED_BY_TEST_SERVER).toContain(kind);
    else expect(skipped).toEqual([]);
  });

  it("would fail on a manifest the API server refuses (the check can fail)", async () => {
    const chart = await renderChart({
      releaseName: `broken-${run}`,
      namespace: `broken-${run}`,
      values: installValues(),
    });
    const deployment = chart.objects.find((o) => o.object["kind"] === "Deployment")!;
    const spec = deployment.object["spec"] as { selector: { matchLabels: Record<string, string> } };
    spec.selector.matchLabels["app.kubernetes.io/name"] = "something-else";
    const { result } = await apply([deployment], [`broken-${run}`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("is invalid");
  });
});
