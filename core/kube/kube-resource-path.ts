import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeClients } from "./kube-client.ts";
import { kubeRequest } from "./kube-request.ts";

/** Where a kind is served, from the API server's discovery document. */
export interface KubeResourceInfo {
  apiVersion: string;
  kind: string;
  /** `deployments`. */
  plural: string;
  /** `deployments.apps`, `services`: how API errors and RBAC rules name it. */
  qualified: string;
  namespaced: boolean;
}

/** The API server does not serve a kind Aether wants to write. */
export class KubeUnknownKindError extends Error {
  constructor(apiVersion: string, kind: string, server: string) {
    super(
      `The Kubernetes API server at ${server} does not serve ${kind} in ${apiVersion}. ` +
        "Check the cluster's version (`kubectl api-resources`) and install what provides it.",
    );
    this.name = "KubeUnknownKindError";
  }
}

// Discovery answers are cached per kubeconfig: they only change when the cluster is upgraded.
const cache = new WeakMap<KubeConfig, Map<string, Promise<KubeResourceInfo[]>>>();

/** The resource serving `apiVersion`/`kind` (one discovery request per group version, then cached). */
export async function resourceInfo(
  clients: Pick<KubeClients, "config">,
  type: { apiVersion: string; kind: string },
  signal?: AbortSignal,
): Promise<KubeResourceInfo> {
  const perConfig = cache.get(clients.config) ?? new Map<string, Promise<KubeResourceInfo[]>>();
  cache.set(clients.config, perConfig);
  let list = perConfig.get(type.apiVersion);
  if (list === undefined) {
    list = discover(clients, type.apiVersion, signal);
    perConfig.set(type.apiVersion, list);
    list.catch(() => perConfig.delete(type.apiVersion));
  }
  const found = (await list).find((r) => r.kind === type.kind);
  if (found === undefined) {
    throw new KubeUnknownKindError(
      type.apiVersion,
      type.kind,
      clients.config.getCurrentCluster()?.server ?? "",
    );
  }
  return found;
}

async function discover(
  clients: Pick<KubeClients, "config">,
  apiVersion: string,
  signal: AbortSignal | undefined,
): Promise<KubeResourceInfo[]> {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const response = await kubeRequest(clients, {
    method: "GET",
    path: apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
    operation: { verb: "list", resource: `the API resources of ${apiVersion}` },
    ...(signal === undefined ? {} : { signal }),
  });
  const body = response.body;
  const resources =
    typeof body === "object" && body !== null && "resources" in body && Array.isArray(body.resources)
      ? (body.resources as unknown[])
      : [];
  const infos: KubeResourceInfo[] = [];
  for (const entry of resources) {
    if (typeof entry !== "object" || entry === null) continue;
    const { name, kind, namespaced } = entry as Record<string, unknown>;
    if (typeof name !== "string" || typeof kind !== "string" || name.includes("/")) continue;
    infos.push({
      apiVersion,
      kind,
      plural: name,
      qualified: group === "" ? name : `${name}.${group}`,
      namespaced: namespaced === true,
    });
  }
  return infos;
}

/** `/apis/apps/v1/namespaces/prod/deployments/web` (name optional, for lists). */
export function resourcePath(info: KubeResourceInfo, namespace: string | undefined, name?: string): string {
  const root = info.apiVersion.includes("/") ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const scope =
    info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const tail = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  return `${root}${scope}/${info.plural}${tail}`;
}
