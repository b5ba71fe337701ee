import type { KeyedLogLine } from "./merge-log-lines.ts";
import { openPodLog, PodLogError, type PodLogConfig } from "./open-pod-log.ts";
import { parseKubeLogLine } from "./parse-kube-log-line.ts";

/** Where a reader got to in a container's log: the last line's time key and how many lines carried it. */
export interface LogCursor {
  key: string;
  count: number;
}

/** Where to start reading: after a cursor, or from a time (`since`), or the last N lines. */
export interface LogStart {
  cursor?: LogCursor;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
}

export interface ContainerLogTarget {
  config: PodLogConfig;
  namespace: string;
  pod: string;
  container: string;
}

/** Reads what a container has logged so far; the cursor lets a follow start where the read ended. */
export async function readContainerLog(
  request: ContainerLogTarget & { start: LogStart; signal?: AbortSignal },
): Promise<{ lines: KeyedLogLine[]; cursor: LogCursor | undefined }> {
  const lines: KeyedLogLine[] = [];
  const cursor = await consume({ ...request, follow: false, onLine: (line) => lines.push(line) });
  return { lines, cursor };
}

/**
 * How many lines of a container's log carry exactly the time `key`. A tail read that came back with nothing
 * but lines of one time cannot tell whether earlier lines share it; a follow needs the true count to skip them.
 */
export async function countLinesAt(
  request: ContainerLogTarget & { key: string; signal?: AbortSignal },
): Promise<number> {
  const { key, ...target } = request;
  const read = await readContainerLog({ ...target, start: { sinceTime: `${key.slice(0, 19)}Z` } });
  return read.lines.filter((line) => line.key === key).length;
}

/**
 * Follows a container's log until `signal` aborts or `waitToRetry` says stop. When the stream ends (the
 * connection dropped, the container restarted, the pod is going away) it asks `waitToRetry` and reconnects
 * from the last line it saw: API servers read `sinceTime` to the second, so lines up to the cursor are
 * skipped on the client, and none is shown twice.
 */
export async function followContainerLog(
  request: ContainerLogTarget & {
    start: LogStart;
    signal: AbortSignal;
    onLine: (line: KeyedLogLine) => void;
    /** Called after a stream ended or failed; "stop" when the pod is gone or the follow is over. */
    waitToRetry: (attempt: number, error: unknown) => Promise<"retry" | "stop">;
  },
): Promise<void> {
  let start = request.start;
  let attempt = 0;
  while (!request.signal.aborted) {
    let failure: unknown;
    try {
      const cursor = await consume({
        ...request,
        start,
        follow: true,
        onLine: (line) => {
          attempt = 0;
          request.onLine(line);
        },
      });
      if (cursor !== undefined) start = { cursor };
    } catch (error) {
      if (request.signal.aborted) return;
      if (error instanceof PodLogError && error.status === 404) return;
      failure = error;
      if (error instanceof CursorError) start = { cursor: error.cursor };
    }
    attempt += 1;
    if ((await request.waitToRetry(attempt, failure)) === "stop") return;
  }
}

/** A stream failed part way: where it had got to, so the retry starts there. */
class CursorError extends Error {
  readonly cursor: LogCursor;
  constructor(cursor: LogCursor, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "CursorError";
    this.cursor = cursor;
  }
}

/** Reads one connection's lines; returns the cursor after the last line (the start's when no line came). */
async function consume(
  request: ContainerLogTarget & {
    start: LogStart;
    follow: boolean;
    signal?: AbortSignal;
    onLine: (line: KeyedLogLine) => void;
  },
): Promise<LogCursor | undefined> {
  const { start, pod, container } = request;
  const skip = start.cursor;
  let cursor = skip;
  let skipped = 0;
  let last: { key: string; time: string } | undefined;
  const query = {
    container,
    follow: request.follow,
    ...(skip !== undefined
      ? { sinceTime: `${skip.key.slice(0, 19)}Z` }
      : {
          ...(start.tailLines === undefined ? {} : { tailLines: start.tailLines }),
          ...(start.sinceSeconds === undefined ? {} : { sinceSeconds: start.sinceSeconds }),
          ...(start.sinceTime === undefined ? {} : { sinceTime: start.sinceTime }),
        }),
  };
  const lines = await openPodLog({
    config: request.config,
    namespace: request.namespace,
    pod,
    query,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  try {
    for await (const raw of lines) {
      const parsed = parseKubeLogLine(raw);
      if (parsed === undefined) {
        // A line without a timestamp continues the one before it (kubelets split nothing, proxies might).
        if (last !== undefined && raw !== "") request.onLine({ ...last, pod, container, line: raw });
        continue;
      }
      if (skip !== undefined && parsed.key < skip.key) continue;
      if (skip !== undefined && parsed.key === skip.key && skipped < skip.count) {
        skipped += 1;
        continue;
      }
      cursor =
        cursor !== undefined && cursor.key === parsed.key
          ? { key: cursor.key, count: cursor.count + 1 }
          : { key: parsed.key, count: 1 };
      last = { key: parsed.key, time: parsed.time };
      request.onLine({ key: parsed.key, time: parsed.time, pod, container, line: parsed.line });
    }
  } catch (error) {
    throw cursor === undefined ? error : new CursorError(cursor, error);
  }
  return cursor;
}
