import type { CoreV1Api, Watch } from "@kubernetes/client-node";
import { kubePodView, type PodView } from "./kube-pod-view.ts";

export interface PodWatchClients {
  core: Pick<CoreV1Api, "listNamespacedPod">;
  watch: Pick<Watch, "watch">;
}

export type PodEvent = { type: "ADDED" | "MODIFIED" | "DELETED"; pod: PodView };

/** Lists the pods matching a label selector: the starting point of a watch. */
export async function listAppPods(request: {
  clients: PodWatchClients;
  namespace: string;
  labelSelector: string;
}): Promise<{ pods: PodView[]; resourceVersion: string }> {
  const list = await request.clients.core.listNamespacedPod({
    namespace: request.namespace,
    labelSelector: request.labelSelector,
  });
  const pods = list.items.flatMap((item) => kubePodView(item) ?? []);
  return {
    pods: pods.sort((a, b) => a.name.localeCompare(b.name)),
    resourceVersion: list.metadata?.resourceVersion ?? "",
  };
}

/**
 * Watches the pods matching a label selector from `resourceVersion` until `signal` aborts, and keeps
 * watching: a dropped or timed-out watch resumes from the last version seen, and when that version is
 * gone (410 Expired) the pods are listed again and the differences reported as events. Credentials or
 * permissions the API server refuses (401, 403) end the watch with the error.
 */
export async function watchAppPods(request: {
  clients: PodWatchClients;
  namespace: string;
  labelSelector: string;
  pods: readonly PodView[];
  resourceVersion: string;
  signal: AbortSignal;
  onEvent: (event: PodEvent) => void;
}): Promise<void> {
  const { clients, namespace, labelSelector, signal } = request;
  const known = new Map(request.pods.map((p) => [p.name, p]));
  let version = request.resourceVersion;
  let attempt = 0;
  while (!signal.aborted) {
    const outcome = await watchOnce({
      watch: clients.watch,
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      query: { labelSelector, resourceVersion: version, allowWatchBookmarks: true },
      signal,
      onEvent: (type, raw) => {
        attempt = 0;
        if (type === "BOOKMARK") {
          // A bookmark carries only a resourceVersion: where to resume, with nothing to report.
          const bookmark = bookmarkVersion(raw);
          if (bookmark !== undefined) version = bookmark;
          return;
        }
        const pod = kubePodView(raw);
        if (pod === undefined) return;
        if (pod.resourceVersion !== "") version = pod.resourceVersion;
        if (type === "DELETED") known.delete(pod.name);
        else known.set(pod.name, pod);
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") request.onEvent({ type, pod });
      },
    });
    if (signal.aborted) return;
    if (outcome.kind === "refused") throw outcome.error;
    attempt += 1;
    if (!(await pause(Math.min(100 * 2 ** (attempt - 1), 5000), signal))) return;
    if (outcome.kind !== "expired" && attempt < 4) continue;
    // The version we had is gone (or resuming keeps failing): list again and report what changed.
    const fresh = await listAppPods({ clients, namespace, labelSelector }).catch(() => undefined);
    if (fresh === undefined) continue;
    version = fresh.resourceVersion;
    const listed = new Set(fresh.pods.map((p) => p.name));
    for (const [name, pod] of known) {
      if (!listed.has(name)) {
        known.delete(name);
        request.onEvent({ type: "DELETED", pod });
      }
    }
    for (const pod of fresh.pods) {
      const type = known.has(pod.name) ? "MODIFIED" : "ADDED";
      known.set(pod.name, pod);
      request.onEvent({ type, pod });
    }
  }
}

type WatchOutcome = { kind: "ended" } | { kind: "expired" } | { kind: "refused"; error: Error };

/** One watch connection, until it ends, fails or `signal` aborts. */
async function watchOnce(request: {
  watch: Pick<Watch, "watch">;
  path: string;
  query: Record<string, string | number | boolean>;
  signal: AbortSignal;
  onEvent: (type: string, raw: unknown) => void;
}): Promise<WatchOutcome> {
  let expired = false;
  return new Promise<WatchOutcome>((resolve) => {
    let controller: AbortController | undefined;
    const stop = () => controller?.abort();
    let finished = false;
    const finish = (outcome: WatchOutcome) => {
      if (finished) return;
      finished = true;
      request.signal.removeEventListener("abort", stop);
      resolve(outcome);
    };
    request.signal.addEventListener("abort", stop, { once: true });
    request.watch
      .watch(
        request.path,
        request.query,
        (type: string, raw: unknown) => {
          if (type === "ERROR") {
            // A Status in the stream: 410 Expired means the resourceVersion was compacted away.
            expired = true;
            stop();
            return;
          }
          request.onEvent(type, raw);
        },
        (error: unknown) => {
          const status = statusCodeOf(error);
          if (status === 401 || status === 403) {
            finish({
              kind: "refused",
              error: new Error(
                `watching pods at ${request.path} was refused (HTTP ${status}): check the kubeconfig's credentials and that they may list and watch pods in this namespace`,
              ),
            });
          } else finish(expired || status === 410 ? { kind: "expired" } : { kind: "ended" });
        },
      )
      .then((c) => {
        controller = c;
        if (request.signal.aborted) c.abort();
      })
      .catch(() => finish({ kind: "ended" }));
  });
}

function bookmarkVersion(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || !("metadata" in raw)) return undefined;
  const metadata = raw.metadata;
  if (typeof metadata !== "object" || metadata === null || !("resourceVersion" in metadata)) return undefined;
  return typeof metadata.resourceVersion === "string" ? metadata.resourceVersion : undefined;
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

/** Waits `ms`; false when `signal` aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
