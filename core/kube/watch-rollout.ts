import type { V1Deployment } from "@kubernetes/client-node";
import { formatDuration } from "../pipeline/format.ts";
import { deploymentReadiness } from "./deployment-readiness.ts";
import type { KubeClients } from "./kube-client.ts";
import { KubeApiError, kubeErrorFrom } from "./kube-errors.ts";

export interface WatchRolloutRequest {
  clients: Pick<KubeClients, "config" | "apps" | "watch">;
  namespace: string;
  /** The Deployment's name. */
  name: string;
  /** Our own deadline, besides the Deployment's `progressDeadlineSeconds`. */
  timeoutMs: number;
  clock: () => number;
  signal?: AbortSignal;
  /** Each change of the rollout's state, in words ("0 of 1 updated replicas available"). */
  onProgress?: (message: string) => void;
}

export type RolloutResult =
  | {
      ok: true;
      /** `clock()` when the watch event whose object first showed the rollout complete arrived. */
      readyAt: number;
      message: string;
      /** How many times the watch was resumed after the server ended it. */
      resumed: number;
    }
  | {
      ok: false;
      reason: "deadline-exceeded" | "timeout" | "aborted" | "deleted" | "watch-failed";
      message: string;
    };

/** Consecutive watch failures without a single event before we give up (API server down, 403 …). */
const MAX_FAILED_WATCHES = 5;

/**
 * Follows one Deployment's rollout with a watch (no polling loop) until it is complete as `kubectl rollout
 * status` decides, its progress deadline is exceeded, `timeoutMs` passes or `signal` aborts. A watch the
 * server ends is resumed from the last resourceVersion seen; a 410 Expired re-lists first.
 * @example const result = await watchRollout({ clients, namespace: "web-prod", name: "web", timeoutMs: 300_000, clock: performance.now.bind(performance) });
 */
export function watchRollout(request: WatchRolloutRequest): Promise<RolloutResult> {
  const { clients, namespace, name, clock } = request;
  const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`;
  const fieldSelector = `metadata.name=${name}`;
  return new Promise<RolloutResult>((resolve) => {
    let settled = false;
    let current: AbortController | undefined;
    let resourceVersion: string | undefined;
    let lastMessage = "";
    let resumed = 0;
    let failures = 0;
    const timers = new Set<NodeJS.Timeout>();
    const watchFailed = `could not watch deployment "${name}" in namespace "${namespace}"`;
    const finish = (result: RolloutResult): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      current?.abort();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, reason: "aborted", message: "the deploy was cancelled" });
    const later = (ms: number, fn: () => void): void => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    };
    const observe = (deployment: V1Deployment): void => {
      const readiness = deploymentReadiness(deployment);
      if (readiness.state === "ready") {
        finish({ ok: true, readyAt: clock(), message: readiness.message, resumed });
      } else if (readiness.state === "deadline-exceeded") {
        finish({ ok: false, reason: "deadline-exceeded", message: readiness.message });
      } else if (readiness.message !== lastMessage) {
        lastMessage = readiness.message;
        request.onProgress?.(readiness.message);
      }
    };
    const retry = (why: string): void => {
      failures += 1;
      if (failures >= MAX_FAILED_WATCHES) {
        finish({ ok: false, reason: "watch-failed", message: `${watchFailed}: ${why}` });
        return;
      }
      // Back off a little so a server that refuses watches is not hammered; this is not polling.
      later(50 * 2 ** failures, () => void (resourceVersion === undefined ? list() : watch()));
    };
    const list = async (): Promise<void> => {
      if (settled) return;
      try {
        const found = await clients.apps.listNamespacedDeployment({ namespace, fieldSelector });
        if (settled) return;
        const deployment = found.items[0];
        if (deployment === undefined) {
          finish({
            ok: false,
            reason: "deleted",
            message: `deployment "${name}" does not exist in namespace "${namespace}"`,
          });
          return;
        }
        resourceVersion = found.metadata?.resourceVersion ?? deployment.metadata?.resourceVersion;
        observe(deployment);
        void watch();
      } catch (error) {
        const translated = kubeErrorFrom(error, {
          server: clients.config.getCurrentCluster()?.server ?? "(unknown server)",
          operation: { verb: "list", resource: "deployments.apps", namespace, name },
        });
        // Credentials, permissions, a missing namespace: asking again will not help.
        if (translated instanceof KubeApiError && translated.code < 500 && translated.code !== 429) {
          finish({ ok: false, reason: "watch-failed", message: translated.message });
        } else retry(errorText(translated));
      }
    };
    const watch = async (): Promise<void> => {
      if (settled) return;
      let sawEvent = false;
      const startedAt = clock();
      const onEvent = (type: string, object: unknown): void => {
        if (settled) return;
        sawEvent = true;
        failures = 0;
        if (type === "ERROR") {
          // 410 Expired: our resourceVersion was compacted away; start again from a fresh list.
          resourceVersion = statusCode(object) === 410 ? undefined : resourceVersion;
          current?.abort();
          return;
        }
        const deployment = asDeployment(object);
        if (deployment === undefined) return;
        resourceVersion = deployment.metadata?.resourceVersion ?? resourceVersion;
        if (type === "DELETED") {
          finish({
            ok: false,
            reason: "deleted",
            message: `deployment "${name}" was deleted during the rollout`,
          });
        } else if (type === "ADDED" || type === "MODIFIED") {
          observe(deployment);
        }
      };
      const onDone = (error: unknown): void => {
        if (settled) return;
        resumed += 1;
        const status = httpStatus(error);
        if (status === 410) resourceVersion = undefined;
        else if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
          // Credentials, permissions: watching again will not help.
          finish({ ok: false, reason: "watch-failed", message: `${watchFailed}: ${errorText(error)}` });
          return;
        }
        // A watch that ended at once without an event was refused; one that ran a while was just dropped.
        const refused = !sawEvent && error !== null && error !== undefined && clock() - startedAt < 1000;
        if (refused && status !== 410) retry(errorText(error));
        else if (resourceVersion === undefined) void list();
        else void watch();
      };
      try {
        current = await clients.watch.watch(
          path,
          { fieldSelector, allowWatchBookmarks: true, ...(resourceVersion ? { resourceVersion } : {}) },
          onEvent,
          onDone,
        );
        if (settled) current.abort();
      } catch (error) {
        retry(errorText(error));
      }
    };
    if (request.signal?.aborted) {
      onAbort();
      return;
    }
    request.signal?.addEventListener("abort", onAbort);
    later(request.timeoutMs, () =>
      finish({
        ok: false,
        reason: "timeout",
        message: `not ready within ${formatDuration(request.timeoutMs)}${lastMessage ? ` (${lastMessage})` : ""}`,
      }),
    );
    void list();
  });
}

// The watch hands over parsed JSON: the boundary where wire objects become typed.
function asDeployment(value: unknown): V1Deployment | undefined {
  return typeof value === "object" && value !== null && "metadata" in value
    ? (value as V1Deployment)
    : undefined;
}

function statusCode(value: unknown): number | undefined {
  return typeof value === "object" && value !== null && "code" in value && typeof value.code === "number"
    ? value.code
    : undefined;
}

/** The HTTP status client-node's Watch puts on the error when the server refused the watch request. */
function httpStatus(error: unknown): number | undefined {
  return error instanceof Error && "statusCode" in error && typeof error.statusCode === "number"
    ? error.statusCode
    : undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = "statusCode" in error ? ` (HTTP ${String(error.statusCode)})` : "";
    return `${error.message}${code}`;
  }
  return String(error);
}
