import type { KubeClients } from "./kube-client.ts";
import { KubeApiError } from "./kube-errors.ts";
import { LABELS, MANAGER } from "./kube-labels.ts";
import { kubeRequest } from "./kube-request.ts";
import { pruneObjects, type DeletedObject, type PrunableKind } from "./prune-objects.ts";

export interface DestroyKubeAppRequest {
  clients: Pick<KubeClients, "config">;
  app: string;
  env: string;
  namespace: string;
  /** Also delete the namespace (a preview's); only done when Aether created it (managed-by label). */
  deleteNamespace?: boolean;
  kinds?: readonly PrunableKind[];
  signal?: AbortSignal;
  onDeleted?: (object: DeletedObject) => void;
}

/** Teardown was asked to delete a namespace Aether did not create. */
export class NamespaceNotManagedError extends Error {
  readonly namespace: string;
  constructor(namespace: string) {
    super(
      `Refusing to delete namespace "${namespace}": it has no ${LABELS.managedBy}=${MANAGER} label, so ` +
        "Aether did not create it. The app's own objects were not touched either. Tear down without deleting " +
        "the namespace, or delete it yourself if it really is disposable.",
    );
    this.name = "NamespaceNotManagedError";
    this.namespace = namespace;
  }
}

/**
 * Deletes everything Aether created for `app` in `env` (found by label, as prune finds it) and, when asked,
 * the preview namespace itself. Safe to repeat: what is already gone (404) or already being deleted is
 * skipped, so a second run returns an empty list.
 */
export async function destroyKubeApp(request: DestroyKubeAppRequest): Promise<{ deleted: DeletedObject[] }> {
  const signal = request.signal === undefined ? {} : { signal: request.signal };
  const namespace = request.deleteNamespace === true ? await readNamespace(request) : undefined;
  if (namespace !== undefined && namespace.labels[LABELS.managedBy] !== MANAGER) {
    throw new NamespaceNotManagedError(request.namespace);
  }
  const { pruned } = await pruneObjects({
    clients: request.clients,
    app: request.app,
    env: request.env,
    namespace: request.namespace,
    keep: [],
    ...(request.kinds === undefined ? {} : { kinds: request.kinds }),
    ...(request.onDeleted === undefined ? {} : { onDeleted: request.onDeleted }),
    ...signal,
  });
  const deleted = [...pruned];
  if (namespace !== undefined && !namespace.terminating) {
    try {
      await kubeRequest(request.clients, {
        method: "DELETE",
        path: `/api/v1/namespaces/${encodeURIComponent(request.namespace)}`,
        query: { propagationPolicy: "Background" },
        operation: { verb: "delete", resource: "namespaces", name: request.namespace },
        ...signal,
      });
      const gone = { apiVersion: "v1", kind: "Namespace", namespace: undefined, name: request.namespace };
      deleted.push(gone);
      request.onDeleted?.(gone);
    } catch (error) {
      // 404: gone meanwhile; 409: already terminating ("ensuring all content is removed").
      if (!(error instanceof KubeApiError && (error.code === 404 || error.code === 409))) throw error;
    }
  }
  return { deleted };
}

/** The namespace's labels and whether it is terminating; undefined when it does not exist. */
async function readNamespace(
  request: DestroyKubeAppRequest,
): Promise<{ labels: Record<string, string>; terminating: boolean } | undefined> {
  let body: unknown;
  try {
    const response = await kubeRequest(request.clients, {
      method: "GET",
      path: `/api/v1/namespaces/${encodeURIComponent(request.namespace)}`,
      operation: { verb: "get", resource: "namespaces", name: request.namespace },
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    body = response.body;
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined;
    throw error;
  }
  const metadata =
    typeof body === "object" && body !== null && "metadata" in body && typeof body.metadata === "object"
      ? body.metadata
      : null;
  const labels: Record<string, string> = {};
  if (metadata !== null && "labels" in metadata && typeof metadata.labels === "object" && metadata.labels) {
    for (const [k, v] of Object.entries(metadata.labels)) if (typeof v === "string") labels[k] = v;
  }
  const terminating = metadata !== null && "deletionTimestamp" in metadata && !!metadata.deletionTimestamp;
  return { labels, terminating };
}
