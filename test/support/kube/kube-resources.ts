/** One resource type the test server serves. */
export interface KubeResource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Subresources served besides the main resource (`status`, `log`). */
  subresources: string[];
  /** Whether spec changes bump metadata.generation (resources with a spec and a status). */
  tracksGeneration: boolean;
}

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function resource(
  groupVersion: string,
  kind: string,
  plural: string,
  more: Partial<Omit<KubeResource, "kind" | "plural" | "group" | "version">> = {},
): KubeResource {
  const slash = groupVersion.indexOf("/");
  return {
    group: slash < 0 ? "" : groupVersion.slice(0, slash),
    version: slash < 0 ? groupVersion : groupVersion.slice(slash + 1),
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: more.namespaced ?? true,
    shortNames: more.shortNames ?? [],
    subresources: more.subresources ?? [],
    tracksGeneration: more.tracksGeneration ?? false,
  };
}

/** Every resource type served, in discovery order. */
export const kubeResources: readonly KubeResource[] = [
  resource("v1", "Namespace", "namespaces", {
    namespaced: false,
    shortNames: ["ns"],
    subresources: ["status"],
  }),
  resource("v1", "Pod", "pods", { shortNames: ["po"], subresources: ["status", "log"] }),
  resource("v1", "Service", "services", { shortNames: ["svc"], subresources: ["status"] }),
  resource("v1", "Secret", "secrets"),
  resource("v1", "ConfigMap", "configmaps", { shortNames: ["cm"] }),
  resource("v1", "ServiceAccount", "serviceaccounts", { shortNames: ["sa"] }),
  resource("v1", "Event", "events", { shortNames: ["ev"] }),
  resource("v1", "ResourceQuota", "resourcequotas", { shortNames: ["quota"], subresources: ["status"] }),
  resource("v1", "LimitRange", "limitranges", { shortNames: ["limits"] }),
  resource("apps/v1", "Deployment", "deployments", {
    shortNames: ["deploy"],
    subresources: ["status"],
    tracksGeneration: true,
  }),
  resource("apps/v1", "ReplicaSet", "replicasets", {
    shortNames: ["rs"],
    subresources: ["status"],
    tracksGeneration: true,
  }),
  resource("events.k8s.io/v1", "Event", "events", { shortNames: ["ev"] }),
  resource("networking.k8s.io/v1", "Ingress", "ingresses", {
    shortNames: ["ing"],
    subresources: ["status"],
    tracksGeneration: true,
  }),
  resource("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", {
    shortNames: ["netpol"],
    tracksGeneration: true,
  }),
  resource("rbac.authorization.k8s.io/v1", "Role", "roles"),
  resource("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings"),
];

export const resourceVerbs = verbs;

export function groupVersionOf(resource: KubeResource): string {
  return resource.group === "" ? resource.version : `${resource.group}/${resource.version}`;
}

/** The key objects are stored under: events.k8s.io events share core events' storage. */
export function storageKey(resource: KubeResource): string {
  return resource.group === "events.k8s.io" ? "/events" : `${resource.group}/${resource.plural}`;
}

/** `Deployment.apps`, `Service`: how the API server names a kind in messages. */
export function qualifiedKind(resource: KubeResource): string {
  return resource.group === "" ? resource.kind : `${resource.kind}.${resource.group}`;
}

/** `deployments.apps`, `pods`: how the API server names a resource in NotFound messages. */
export function qualifiedResource(resource: KubeResource): string {
  return resource.group === "" ? resource.plural : `${resource.plural}.${resource.group}`;
}

export function findResource(groupVersion: string, plural: string): KubeResource | undefined {
  return kubeResources.find((r) => groupVersionOf(r) === groupVersion && r.plural === plural);
}

export function resourceForKind(apiVersion: string, kind: string): KubeResource | undefined {
  return kubeResources.find((r) => groupVersionOf(r) === apiVersion && r.kind === kind);
}
