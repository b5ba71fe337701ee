import { runKubectl } from "../support/kube/run-kubectl.ts";

/** `apiVersion/Kind` of every kind the cluster serves, from the real kubectl's discovery. */
export async function servedKinds(kubeconfigPath: string): Promise<Set<string>> {
  const result = await runKubectl(["api-resources", "--no-headers"], { kubeconfigPath });
  if (result.code !== 0) throw new Error(`kubectl api-resources failed: ${result.stderr}`);
  const kinds = new Set<string>();
  for (const line of result.stdout.split("\n")) {
    const columns = line.trim().split(/\s+/);
    const kind = columns.at(-1);
    const apiVersion = columns.at(-3);
    if (kind !== undefined && apiVersion !== undefined && columns.length >= 4)
      kinds.add(`${apiVersion}/${kind}`);
  }
  return kinds;
}

/** Kinds the chart renders that the Kubernetes test server does not serve (test/support/kube/README.md). */
export const NOT_SERVED_BY_TEST_SERVER = new Set([
  "rbac.authorization.k8s.io/v1/ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
  "policy/v1/PodDisruptionBudget",
  "apps/v1/StatefulSet",
]);
