import type { KubeClients } from "./kube-client.ts";
import { MANAGER } from "./kube-labels.ts";
import type { KubeObject } from "./kube-object.ts";
import { kubeRequest } from "./kube-request.ts";
import { resourceInfo, resourcePath, type KubeResourceInfo } from "./kube-resource-path.ts";

export { KubeApplyConflictError } from "./kube-errors.ts";

/** One object as the API server stored it after the apply. */
export interface AppliedObject {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  name: string;
  /** True when the apply created it (201), false when it existed. */
  created: boolean;
  resourceVersion: string;
  uid: string;
  /** metadata.generation, for kinds that track it (a Deployment's rollout waits for observedGeneration). */
  generation: number | undefined;
}

export interface ApplyObjectsRequest {
  clients: Pick<KubeClients, "config">;
  objects: readonly KubeObject[];
  fieldManager?: string;
  signal?: AbortSignal;
  /** Called after each object is applied, in apply order. */
  onApplied?: (object: AppliedObject) => void;
}

// Within a scope, objects others depend on go first: guard rails before workloads, identities and
// config before the pods that use them, the Service before the Ingress that routes to it.
const KIND_ORDER = [
  "Namespace",
  "ResourceQuota",
  "LimitRange",
  "NetworkPolicy",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "Role",
  "RoleBinding",
  "Service",
  "Deployment",
  "Ingress",
];

/**
 * Server-side applies `objects` under one field manager (never forced): namespaces first, then other
 * cluster-scoped objects, then namespaced ones in dependency order (input order within a kind). A field
 * owned by another manager fails with KubeApplyConflictError naming the field and its owner; other
 * failures are the named errors of kube-errors.ts. Objects applied before a failure stay applied.
 */
export async function applyObjects(request: ApplyObjectsRequest): Promise<{ applied: AppliedObject[] }> {
  const fieldManager = request.fieldManager ?? MANAGER;
  const resolved: { object: KubeObject; info: KubeResourceInfo; index: number }[] = [];
  for (const [index, object] of request.objects.entries()) {
    resolved.push({ object, info: await resourceInfo(request.clients, object, request.signal), index });
  }
  resolved.sort((a, b) => rank(a.info) - rank(b.info) || a.index - b.index);
  const applied: AppliedObject[] = [];
  for (const { object, info } of resolved) {
    request.signal?.throwIfAborted();
    const namespace = info.namespaced ? object.metadata.namespace : undefined;
    if (info.namespaced && namespace === undefined) {
      throw new Error(
        `${object.kind} "${object.metadata.name}" has no metadata.namespace: Aether never applies to a ` +
          "kubeconfig's default namespace implicitly. Render it with the environment's namespace.",
      );
    }
    const response = await kubeRequest(request.clients, {
      method: "PATCH",
      path: resourcePath(info, namespace, object.metadata.name),
      query: { fieldManager, fieldValidation: "Strict" },
      contentType: "application/apply-patch+yaml",
      body: object,
      operation: {
        verb: "patch",
        resource: info.qualified,
        name: object.metadata.name,
        ...(namespace === undefined ? {} : { namespace }),
      },
      fieldManager,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    const metadata = metadataOf(response.body);
    const result: AppliedObject = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace,
      name: object.metadata.name,
      created: response.code === 201,
      resourceVersion: typeof metadata.resourceVersion === "string" ? metadata.resourceVersion : "",
      uid: typeof metadata.uid === "string" ? metadata.uid : "",
      generation: typeof metadata.generation === "number" ? metadata.generation : undefined,
    };
    applied.push(result);
    request.onApplied?.(result);
  }
  return { applied };
}

function rank(info: KubeResourceInfo): number {
  const order = KIND_ORDER.indexOf(info.kind);
  const within = order < 0 ? KIND_ORDER.length : order;
  if (info.kind === "Namespace") return 0;
  return (info.namespaced ? 2000 : 1000) + within;
}

function metadataOf(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || !("metadata" in body)) return {};
  const metadata = body.metadata;
  return typeof metadata === "object" && metadata !== null ? { ...metadata } : {};
}
