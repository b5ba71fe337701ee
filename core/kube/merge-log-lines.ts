/** One line of an app's logs on Kubernetes: when (the server's RFC 3339 time), where, and what. */
export interface KubeLogLine {
  time: string;
  pod: string;
  container: string;
  line: string;
}

/** A line with its sortable time key (see timeKey). */
export interface KeyedLogLine extends KubeLogLine {
  key: string;
}

/**
 * Lines from several pods in time order. The sort is stable, so lines of one container with the same
 * timestamp keep the order the container wrote them in, and ties across pods keep the order given.
 */
export function mergeLogLines<T extends { key: string }>(lines: readonly T[]): T[] {
  return [...lines].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Holds followed lines for a short while so lines from pods that arrive slightly late still go out in order. */
export interface ReorderWindow<T> {
  push(line: T): void;
  /** Emits everything held, in order (at the end of a follow). */
  flush(): void;
}

/**
 * A reorder window: a line is held until it has waited `windowMs`; when it goes out, so does every held
 * line with an earlier or equal time, all in time order. A line delayed by more than the window can still
 * come out after a later one: the window trades a little latency for order, it cannot promise both.
 */
export function createReorderWindow<T extends { key: string }>(options: {
  windowMs: number;
  emit: (line: T) => void;
  now?: () => number;
}): ReorderWindow<T> {
  const now = options.now ?? (() => performance.now());
  let held: { line: T; at: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const release = (all: boolean): void => {
    timer = undefined;
    const cutoff = now() - options.windowMs;
    let threshold: string | undefined;
    for (const h of held) if (all || h.at <= cutoff) threshold = max(threshold, h.line.key);
    if (threshold !== undefined) {
      const limit = threshold;
      const out = held.filter((h) => h.line.key <= limit);
      held = held.filter((h) => h.line.key > limit);
      for (const line of mergeLogLines(out.map((o) => o.line))) options.emit(line);
    }
    arm();
  };
  const arm = (): void => {
    if (timer !== undefined || held.length === 0) return;
    const oldest = Math.min(...held.map((h) => h.at));
    timer = setTimeout(() => release(false), Math.max(0, oldest + options.windowMs - now()));
  };
  return {
    push(line) {
      held.push({ line, at: now() });
      arm();
    },
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      release(true);
    },
  };
}

function max(a: string | undefined, b: string): string {
  return a === undefined || b > a ? b : a;
}
