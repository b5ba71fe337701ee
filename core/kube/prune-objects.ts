import type { KubeClients } from "./kube-client.ts";
import { KubeApiError } from "./kube-errors.ts";
import { appSelector, LABELS, MANAGER } from "./kube-labels.ts";
import type { KubeObject } from "./kube-object.ts";
import { kubeRequest } from "./kube-request.ts";
import { resourceInfo, resourcePath } from "./kube-resource-path.ts";

export interface PrunableKind {
  apiVersion: string;
  kind: string;
}

/**
 * The kinds Aether renders for an app, in the order they are deleted: traffic first (Ingress, Service),
 * then the workload, then what the pods used.
 */
export const PRUNABLE_KINDS: readonly PrunableKind[] = [
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "v1", kind: "Secret" },
  { apiVersion: "v1", kind: "ConfigMap" },
  { apiVersion: "v1", kind: "ServiceAccount" },
];

/** An object deleted by prune or teardown. */
export interface DeletedObject {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  name: string;
}

export interface PruneObjectsRequest {
  clients: Pick<KubeClients, "config">;
  app: string;
  env: string;
  namespace: string;
  /** Every object of the release just applied (all of them: what is missing here is deleted). */
  keep: readonly KubeObject[];
  kinds?: readonly PrunableKind[];
  signal?: AbortSignal;
  onDeleted?: (object: DeletedObject) => void;
}

/**
 * Deletes the app's objects (in its environment and namespace) that the new release no longer renders.
 * Only objects carrying Aether's labels for this app and env, managed-by `aether` included, are ever
 * candidates: anything a person or another tool created is left alone. An object already gone counts as
 * pruned by someone else and is skipped.
 */
export async function pruneObjects(request: PruneObjectsRequest): Promise<{ pruned: DeletedObject[] }> {
  const selector = appSelector(request);
  const keep = new Set(request.keep.map((o) => key(o.kind, o.metadata.namespace ?? "", o.metadata.name)));
  const pruned: DeletedObject[] = [];
  for (const type of request.kinds ?? PRUNABLE_KINDS) {
    const info = await resourceInfo(request.clients, type, request.signal);
    const namespace = info.namespaced ? request.namespace : undefined;
    const signal = request.signal === undefined ? {} : { signal: request.signal };
    const scope = namespace === undefined ? {} : { namespace };
    const list = await kubeRequest(request.clients, {
      method: "GET",
      path: resourcePath(info, namespace),
      query: {
        labelSelector: Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(","),
      },
      operation: { verb: "list", resource: info.qualified, ...scope },
      ...signal,
    });
    for (const item of itemsOf(list.body)) {
      // The server filtered by label already; checking again costs nothing and guards the one rule
      // prune must never break.
      if (!Object.entries(selector).every(([k, v]) => item.labels[k] === v)) continue;
      if (item.labels[LABELS.managedBy] !== MANAGER) continue;
      if (keep.has(key(type.kind, namespace ?? "", item.name))) continue;
      // Already being deleted (a repeated teardown): not ours to count again.
      if (item.deleting) continue;
      try {
        await kubeRequest(request.clients, {
          method: "DELETE",
          path: resourcePath(info, namespace, item.name),
          query: { propagationPolicy: "Background" },
          operation: { verb: "delete", resource: info.qualified, name: item.name, ...scope },
          ...signal,
        });
      } catch (error) {
        if (error instanceof KubeApiError && error.code === 404) continue;
        throw error;
      }
      const deleted = { apiVersion: type.apiVersion, kind: type.kind, namespace, name: item.name };
      pruned.push(deleted);
      request.onDeleted?.(deleted);
    }
  }
  return { pruned };
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

interface ListedItem {
  name: string;
  labels: Record<string, string>;
  deleting: boolean;
}

/** Names and labels of a list's items (wire JSON). */
function itemsOf(body: unknown): ListedItem[] {
  if (typeof body !== "object" || body === null || !("items" in body) || !Array.isArray(body.items))
    return [];
  const items: ListedItem[] = [];
  for (const item of body.items as unknown[]) {
    if (typeof item !== "object" || item === null || !("metadata" in item)) continue;
    const metadata = item.metadata;
    if (typeof metadata !== "object" || metadata === null || !("name" in metadata)) continue;
    if (typeof metadata.name !== "string") continue;
    const labels: Record<string, string> = {};
    if ("labels" in metadata && typeof metadata.labels === "object" && metadata.labels !== null) {
      for (const [k, v] of Object.entries(metadata.labels)) if (typeof v === "string") labels[k] = v;
    }
    const deleting = "deletionTimestamp" in metadata && Boolean(metadata.deletionTimestamp);
    items.push({ name: metadata.name, labels, deleting });
  }
  return items;
}
