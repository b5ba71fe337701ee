import { createRedactor, type Redact } from "../redact/redact.ts";
import {
  createReorderWindow,
  mergeLogLines,
  type KeyedLogLine,
  type KubeLogLine,
} from "./merge-log-lines.ts";
import { kubeErrorFrom } from "./kube-errors.ts";
import type { PodLogConfig } from "./open-pod-log.ts";
import { PodLogError } from "./open-pod-log.ts";
import type { PodView } from "./kube-pod-view.ts";
import { dateKey } from "./parse-kube-log-line.ts";
import {
  countLinesAt,
  followContainerLog,
  readContainerLog,
  type LogCursor,
  type LogStart,
} from "./read-container-log.ts";
import { listAppPods, watchAppPods, type PodWatchClients } from "./watch-app-pods.ts";

export type { KubeLogLine } from "./merge-log-lines.ts";

/** The clients streamAppLogs uses; client-node's KubeClients (kube-client.ts) has them all. */
export interface AppLogClients extends PodWatchClients {
  config: PodLogConfig;
}

export interface StreamAppLogsRequest {
  clients: AppLogClients;
  namespace: string;
  /** The app's labels (appSelector from kube-labels.ts). */
  selector: Record<string, string>;
  /** Keep streaming, across new pods, restarts and dropped connections, until `signal` aborts. */
  follow: boolean;
  /** Only the last N lines of all pods together (then, when following, every new line). */
  tailLines?: number;
  /** Only lines from then on: seconds back from now, or a time. */
  since?: number | Date;
  /** One container (the app's containers, or an init container such as `fetch`); default: every app container. */
  container?: string;
  signal: AbortSignal;
  /** Each line, in time order across pods, after redaction. */
  onLine: (line: KubeLogLine) => void;
  /** Things worth telling the user that are not log lines: a container that restarted, one not started yet. */
  onNotice?: (message: string) => void;
  /** Redaction of every line (default: credential shapes, as createRedactor() hides them). */
  redact?: Redact;
  /** How long followed lines wait to be put in order across pods (default 150 ms). */
  reorderWindowMs?: number;
}

export interface StreamAppLogsResult {
  /** The pods whose logs were read, in the order first seen. */
  pods: string[];
  lines: number;
}

/** No pod of the app has the container asked for. */
export class UnknownContainerError extends Error {
  constructor(container: string, namespace: string, known: string[]) {
    super(
      `No pod of the app in namespace "${namespace}" has a container "${container}" ` +
        `(containers: ${known.length > 0 ? known.join(", ") : "none"}). Pass one of those to --container.`,
    );
    this.name = "UnknownContainerError";
  }
}

/**
 * The logs of every pod matching `selector`, merged in time order, each line naming its pod and container.
 * Without `follow` it reads what was logged, sorts and returns. With `follow` it then streams: it watches
 * the app's pods (no polling), attaches to pods that appear (a new release, a rescheduled pod), reconnects
 * to a container whose stream ended (a restart, a dropped connection) without repeating lines, and returns
 * when `signal` aborts.
 * @example await streamAppLogs({ clients, namespace: "web", selector: appSelector({ app, env }), follow: false, tailLines: 100, signal, onLine: print })
 */
export async function streamAppLogs(request: StreamAppLogsRequest): Promise<StreamAppLogsResult> {
  const { clients, namespace, signal } = request;
  const redact = request.redact ?? createRedactor();
  const labelSelector = Object.entries(request.selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const sinceDate =
    request.since === undefined
      ? undefined
      : typeof request.since === "number"
        ? new Date(Date.now() - request.since * 1000)
        : request.since;
  const sinceKey = sinceDate === undefined ? undefined : dateKey(sinceDate);
  const userStart: LogStart =
    sinceDate === undefined ? {} : { sinceTime: `${sinceDate.toISOString().slice(0, 19)}Z` };
  const seenPods: string[] = [];
  let count = 0;
  const emit = (line: KeyedLogLine): void => {
    if (sinceKey !== undefined && line.key < sinceKey) return;
    count += 1;
    request.onLine({ time: line.time, pod: line.pod, container: line.container, line: redact(line.line) });
  };
  const containersOf = (pod: PodView): string[] => {
    if (request.container === undefined) return pod.containers;
    const all = [...pod.containers, ...pod.initContainers];
    return all.includes(request.container) ? [request.container] : [];
  };

  const listed = await listAppPods({ clients, namespace, labelSelector }).catch((error: unknown) => {
    throw kubeErrorFrom(error, {
      server: clients.config.getCurrentCluster()?.server ?? "(unknown server)",
      operation: { verb: "list", resource: "pods", namespace },
    });
  });
  if (request.container !== undefined && listed.pods.length > 0) {
    if (!listed.pods.some((pod) => containersOf(pod).length > 0)) {
      const known = [...new Set(listed.pods.flatMap((p) => [...p.containers, ...p.initContainers]))];
      throw new UnknownContainerError(request.container, namespace, known);
    }
  }
  if (request.follow && listed.pods.length === 0) {
    request.onNotice?.(`No pod matches ${labelSelector} in namespace "${namespace}" yet: waiting for one.`);
  }
  const initial = listed.pods.flatMap((pod) => containersOf(pod).map((container) => ({ pod, container })));
  for (const pod of listed.pods) seenPods.push(pod.name);
  const reads = await Promise.all(
    initial.map(async ({ pod, container }) => {
      const start: LogStart = {
        ...userStart,
        ...(request.tailLines === undefined ? {} : { tailLines: request.tailLines }),
      };
      try {
        const target = { config: clients.config, namespace, pod: pod.name, container, signal };
        const read = await readContainerLog({ ...target, start });
        const cursor = read.cursor;
        if (request.follow && cursor !== undefined && cursor.count === request.tailLines) {
          // The tail is all of one time: earlier lines may share it, and the follow must skip them all.
          const count = await countLinesAt({ ...target, key: cursor.key });
          return { pod, container, lines: read.lines, cursor: { ...cursor, count } };
        }
        return { pod, container, ...read };
      } catch (error) {
        if (!(error instanceof PodLogError) || signal.aborted) throw error;
        request.onNotice?.(error.message);
        return { pod, container, lines: [], cursor: undefined };
      }
    }),
  );
  const merged = mergeLogLines(reads.flatMap((r) => r.lines)).filter(
    (line) => sinceKey === undefined || line.key >= sinceKey,
  );
  const shown =
    request.tailLines === undefined ? merged : merged.slice(Math.max(0, merged.length - request.tailLines));
  for (const line of shown) emit(line);
  if (!request.follow || signal.aborted) return { pods: seenPods, lines: count };

  // Followers and the watch stop with the caller's signal, and also when the watch fails for good.
  const inner = new AbortController();
  const stopAll = () => inner.abort();
  signal.addEventListener("abort", stopAll, { once: true });
  const window = createReorderWindow<KeyedLogLine>({ windowMs: request.reorderWindowMs ?? 150, emit });
  const followers = new Map<string, { done: Promise<void>; wake: () => void }>();
  const pods = new Map(listed.pods.map((pod) => [pod.name, pod]));
  const follow = (pod: PodView, container: string, cursor: LogCursor | undefined): void => {
    const id = `${pod.name}/${container}`;
    if (followers.has(id)) return;
    let wake = (): void => undefined;
    const waitToRetry = async (attempt: number): Promise<"retry" | "stop"> => {
      if (inner.signal.aborted || !pods.has(pod.name)) return "stop";
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(250 * 2 ** (attempt - 1), 5000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => undefined;
      return inner.signal.aborted || !pods.has(pod.name) ? "stop" : "retry";
    };
    const done = followContainerLog({
      config: clients.config,
      namespace,
      pod: pod.name,
      container,
      start: cursor === undefined ? userStart : { cursor },
      signal: inner.signal,
      onLine: (line) => window.push(line),
      waitToRetry,
    })
      .catch((error: unknown) => {
        if (!inner.signal.aborted) request.onNotice?.(error instanceof Error ? error.message : String(error));
      })
      .finally(() => {
        // A pod of the same name may come back (a StatefulSet's would): it then gets a new follower.
        if (followers.get(id) === entry) followers.delete(id);
      });
    const entry = { done, wake: () => wake() };
    followers.set(id, entry);
  };
  for (const read of reads) follow(read.pod, read.container, read.cursor);

  const wakePod = (name: string): void => {
    for (const [id, follower] of followers) if (id.startsWith(`${name}/`)) follower.wake();
  };
  try {
    await watchAppPods({
      clients,
      namespace,
      labelSelector,
      pods: listed.pods,
      resourceVersion: listed.resourceVersion,
      signal: inner.signal,
      onEvent: ({ type, pod }) => {
        if (type === "DELETED") {
          pods.delete(pod.name);
          wakePod(pod.name);
          return;
        }
        const before = pods.get(pod.name);
        pods.set(pod.name, pod);
        if (!seenPods.includes(pod.name)) seenPods.push(pod.name);
        for (const container of containersOf(pod)) {
          const count = pod.restarts[container] ?? 0;
          if (before !== undefined && count > (before.restarts[container] ?? 0))
            request.onNotice?.(`${pod.name}/${container} restarted (restart ${count})`);
        }
        for (const container of containersOf(pod)) follow(pod, container, undefined);
        // A restarted container's stream has ended: waking its follower reconnects it now, not after back-off.
        wakePod(pod.name);
      },
    });
  } finally {
    inner.abort();
    signal.removeEventListener("abort", stopAll);
    for (const follower of followers.values()) follower.wake();
    await Promise.all([...followers.values()].map((f) => f.done));
    window.flush();
  }
  return { pods: seenPods, lines: count };
}
