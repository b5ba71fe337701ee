import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from "./kube-json.ts";
import { kubeResources, storageKey, type KubeResource } from "./kube-resources.ts";
import { statusError, type KubeStatusError } from "./kube-status.ts";
import { nameOf, type KubeStore } from "./kube-store.ts";
import { formatCpu, formatMemory, parseQuantity } from "./kube-quantity.ts";

const COMPUTE: Record<string, { field: "requests" | "limits"; resource: "cpu" | "memory" }> = {
  cpu: { field: "requests", resource: "cpu" },
  memory: { field: "requests", resource: "memory" },
  "requests.cpu": { field: "requests", resource: "cpu" },
  "requests.memory": { field: "requests", resource: "memory" },
  "limits.cpu": { field: "limits", resource: "cpu" },
  "limits.memory": { field: "limits", resource: "memory" },
};

/** A pod's effective request or limit: the containers' sum, or the largest init container's if bigger. */
function podCompute(pod: JsonObject, key: string): number {
  const compute = COMPUTE[key];
  if (compute === undefined) return 0;
  const phase = stringAt(objectAt(pod, "status"), "phase");
  if (phase === "Succeeded" || phase === "Failed") return 0;
  const amount = (container: unknown) => {
    const value = stringAt(objectAt(objectAt(container, "resources"), compute.field), compute.resource);
    const parsed = value === undefined ? 0 : parseQuantity(value);
    return Number.isNaN(parsed) ? 0 : parsed;
  };
  const spec = objectAt(pod, "spec");
  const sum = arrayAt(spec, "containers").reduce<number>((total, c) => total + amount(c), 0);
  return Math.max(sum, ...arrayAt(spec, "initContainers").map(amount));
}

function formatUsage(key: string, value: number): string {
  const compute = COMPUTE[key];
  if (compute === undefined) return String(value);
  return compute.resource === "cpu" ? formatCpu(value) : formatMemory(value);
}

/** What creating one object adds to a quota's resource, for the object-count resources the server enforces. */
function usage(quotaKey: string, resource: KubeResource, object: JsonObject): number {
  const group = resource.group === "" ? "" : `.${resource.group}`;
  if (resource.kind === "Pod" && resource.group === "" && COMPUTE[quotaKey] !== undefined) {
    return podCompute(object, quotaKey);
  }
  if (quotaKey === `count/${resource.plural}${group}`) return 1;
  if (resource.group !== "") return 0;
  if (quotaKey === resource.plural && STANDARD_COUNTS.has(quotaKey)) return 1;
  if (resource.kind !== "Service") return 0;
  const type = stringAt(objectAt(object, "spec"), "type") ?? "ClusterIP";
  if (quotaKey === "services.loadbalancers") return type === "LoadBalancer" ? 1 : 0;
  if (quotaKey === "services.nodeports") {
    return type === "NodePort" || type === "LoadBalancer"
      ? arrayAt(objectAt(object, "spec"), "ports").length
      : 0;
  }
  return 0;
}

const STANDARD_COUNTS = new Set([
  "pods",
  "services",
  "secrets",
  "configmaps",
  "resourcequotas",
  "persistentvolumeclaims",
  "replicationcontrollers",
]);

/**
 * Quota admission for a create, as the API server's ResourceQuota plugin answers it: 403 Forbidden
 * `services "web" is forbidden: exceeded quota: q, requested: services=1, used: services=1, limited: services=1`.
 * Object counts (`count/<resource>.<group>`, `pods`, `services`, `secrets`, `configmaps`,
 * `services.loadbalancers`, `services.nodeports`) and pods' compute resources (`requests.cpu`, `limits.memory`,
 * `cpu`, `memory` …, the containers' sum or the largest init container's).
 */
export function quotaRejection(input: {
  store: KubeStore;
  resource: KubeResource;
  namespace: string;
  object: JsonObject;
}): KubeStatusError | undefined {
  if (!input.resource.namespaced || input.namespace === "") return undefined;
  const quotas = input.store
    .list("/resourcequotas", input.namespace)
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  for (const quota of quotas) {
    const hard = objectAt(objectAt(quota, "spec"), "hard");
    const exceeded: { key: string; requested: number; used: number; limited: string }[] = [];
    for (const [key, limit] of Object.entries(hard)) {
      const requested = usage(key, input.resource, input.object);
      if (requested === 0) continue;
      const used = usedIn(input.store, input.namespace, key);
      const hardValue = parseQuantity(String(limit));
      // Sub-millicore rounding noise must not turn an exact fit into a refusal.
      if (used + requested > hardValue + 1e-9)
        exceeded.push({ key, requested, used, limited: String(limit) });
    }
    if (exceeded.length === 0) continue;
    exceeded.sort((a, b) => a.key.localeCompare(b.key));
    const list = (pick: (e: (typeof exceeded)[number]) => string) =>
      exceeded.map((e) => `${e.key}=${pick(e)}`).join(",");
    const group = input.resource.group;
    const qualified = group === "" ? input.resource.plural : `${input.resource.plural}.${group}`;
    const name = nameOf(input.object);
    const details: JsonObject = { name, kind: input.resource.plural };
    if (group !== "") details.group = group;
    return statusError({
      code: 403,
      reason: "Forbidden",
      message:
        `${qualified} "${name}" is forbidden: exceeded quota: ${nameOf(quota)}, requested: ${list((e) => formatUsage(e.key, e.requested))}, ` +
        `used: ${list((e) => formatUsage(e.key, e.used))}, limited: ${list((e) => e.limited)}`,
      details,
    });
  }
  return undefined;
}

function usedIn(store: KubeStore, namespace: string, key: string): number {
  let total = 0;
  for (const resource of kubeResources) {
    if (!resource.namespaced || resource.group === "events.k8s.io") continue;
    for (const object of store.list(storageKey(resource), namespace)) {
      if (isObject(object)) total += usage(key, resource, object);
    }
  }
  return total;
}

/** The admission hook for creates of `resource` in `namespace`: throws the quota's 403 Status. */
export function quotaAdmission(
  store: KubeStore,
  resource: KubeResource,
  namespace: string,
): (object: JsonObject) => void {
  return (object) => {
    const rejection = quotaRejection({ store, resource, namespace, object });
    if (rejection !== undefined) throw rejection;
  };
}
