/** A failure the test server plays instead of (or around) the normal answer. */
export type Fault =
  | { kind: "status"; status: 500 | 502 | 503 | 504 }
  /** 403 with `retry-after` and GitHub's secondary-rate-limit message. */
  | { kind: "secondaryRateLimit"; retryAfterSeconds?: number }
  /** 403 (or 429) with `x-ratelimit-remaining: 0` and the reset time. */
  | { kind: "primaryRateLimit"; status?: 403 | 429; resetInSeconds?: number }
  /** Answers normally after a delay, to test client timeouts. */
  | { kind: "delay"; ms: number }
  /** Applies the change, then destroys the socket before any response byte is written. */
  | { kind: "lostResponse" };

interface FaultRule {
  route: string;
  remaining: number;
  fault: Fault;
}

/**
 * Faults queued per route. A route is `"METHOD /spec/path/{template}"` (as in GitHub's docs and
 * Octokit's `request`) or an operation id such as `"checks/create"`.
 */
export class Faults {
  private readonly rules: FaultRule[] = [];

  /** The next `times` requests to `route` get `fault`. */
  inject(route: string, fault: Fault, times = 1): void {
    this.rules.push({ route, remaining: times, fault });
  }

  /** Takes the fault for this request, if one is queued (consuming one of its `times`). */
  take(operation: { method: string; template: string; operationId: string }): Fault | undefined {
    const route = `${operation.method} ${operation.template}`;
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.route === route || r.route === operation.operationId),
    );
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  clear(): void {
    this.rules.length = 0;
  }
}
