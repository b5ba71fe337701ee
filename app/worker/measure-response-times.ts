/** p50 and p95 of a URL's response time, in whole milliseconds. */
export interface ResponseTimes {
  p50: number;
  p95: number;
}

/**
 * Sends `requests` GETs to `url`, one after the other (as one visitor would), and returns the median and the
 * 95th percentile (nearest rank) of those that answered; undefined when none did. For the PR comment's
 * "response time after rollout", beside production's.
 */
export async function measureResponseTimes(
  url: string,
  options: { requests?: number; timeoutMs?: number; clock?: () => number } = {},
): Promise<ResponseTimes | undefined> {
  const clock = options.clock ?? (() => performance.now());
  const times: number[] = [];
  for (let i = 0; i < (options.requests ?? 20); i++) {
    const started = clock();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 2_000) });
      await response.arrayBuffer();
      times.push(clock() - started);
    } catch {
      // A request that failed has no response time; the others still count.
    }
  }
  if (times.length === 0) return undefined;
  times.sort((a, b) => a - b);
  const rank = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? 0;
  return { p50: Math.round(rank(50)), p95: Math.round(rank(95)) };
}
