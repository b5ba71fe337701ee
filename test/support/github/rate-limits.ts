/** Per-credential primary rate limit counters, reported in GitHub's `x-ratelimit-*` headers. */
export class RateLimits {
  private readonly windows = new Map<string, { used: number; resetSeconds: number }>();

  /** Counts one request for `credential` and returns the headers GitHub sends with every response. */
  headers(credential: string, nowMs: number): Record<string, string> {
    const nowSeconds = Math.floor(nowMs / 1000);
    let window = this.windows.get(credential);
    if (window === undefined || window.resetSeconds <= nowSeconds) {
      window = { used: 0, resetSeconds: nowSeconds + 3600 };
      this.windows.set(credential, window);
    }
    window.used += 1;
    const limit = credential === "anonymous" ? 60 : 5000;
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(limit - window.used, 0)),
      "x-ratelimit-reset": String(window.resetSeconds),
      "x-ratelimit-used": String(window.used),
      "x-ratelimit-resource": "core",
    };
  }
}
