/** One attempt in GitHub's log of the App's webhook deliveries (`GET /app/hook/deliveries`). */
export interface DeliveryAttempt {
  /** The attempt's id: what `POST /app/hook/deliveries/{delivery_id}/attempts` redelivers. */
  id: number;
  /** The delivery's `X-GitHub-Delivery`, shared by the first attempt and every redelivery of it. */
  guid: string;
  /** ISO time of the attempt. */
  deliveredAt: string;
  redelivery: boolean;
  /** What the app's webhook URL answered; 0 when GitHub could not reach it. */
  statusCode: number;
  event: string;
  action: string | null;
}

/** What the app asked GitHub for a guid in earlier scans. */
export interface EarlierAsk {
  /** Redeliveries asked so far (a failed ask counts too, so nothing is retried forever). */
  asks: number;
  /** The attempt the last ask redelivered; 0 when that ask did not reach GitHub. */
  lastAttemptId: number;
}

export interface RedeliveryPolicy {
  /** Deliveries whose latest attempt is older are left alone (GitHub keeps its log for 3 days). */
  lookbackMs: number;
  /** Attempts per delivery, the first included: at most `maxAttempts - 1` redeliveries. */
  maxAttempts: number;
}

export const DEFAULT_REDELIVERY_POLICY: RedeliveryPolicy = {
  lookbackMs: 3 * 24 * 60 * 60 * 1000,
  maxAttempts: 3,
};

/** Why a delivery that did not get through is not redelivered now. */
export type SkipReason =
  /** The intake holds the guid: GitHub did not see the answer (a timeout), but the app got it. */
  | "received"
  /** The latest attempt is older than the lookback. */
  | "too-old"
  /** `maxAttempts` attempts were made (or asked for) already. */
  | "gave-up"
  /** The redelivery asked last has not shown up in the log yet. */
  | "waiting";

export type RedeliveryVerdict =
  | { guid: string; event: string; action: "redeliver"; attemptId: number; attempts: number }
  | { guid: string; event: string; action: "skip"; reason: SkipReason; attempts: number };

/** The guids in `attempts` none of whose attempts got a 2xx answer: the ones worth asking the intake about. */
export function unsuccessfulGuids(attempts: readonly DeliveryAttempt[]): string[] {
  const succeeded = new Set(attempts.filter(isSuccess).map((a) => a.guid));
  return [...new Set(attempts.map((a) => a.guid))].filter((guid) => !succeeded.has(guid));
}

/**
 * Decides, for each delivery in GitHub's log that never got a 2xx answer, whether to ask GitHub to
 * redeliver its latest attempt: not when the intake already holds its guid, not when it is older than the
 * lookback, not after `maxAttempts` attempts (counting the asks the log does not show yet), and not while the
 * redelivery asked last is still to appear in the log. Verdicts come oldest delivery first, so redelivered
 * events reach the app in the order they happened (a newer push keeps superseding an older one).
 * @example chooseRedeliveries({ attempts, received: new Set(), asked: new Map(), now: Date.now() })
 */
export function chooseRedeliveries(input: {
  attempts: readonly DeliveryAttempt[];
  /** Guids the intake queue holds (a job keyed by that delivery id). */
  received: ReadonlySet<string>;
  asked: ReadonlyMap<string, EarlierAsk>;
  now: number;
  policy?: Partial<RedeliveryPolicy>;
}): RedeliveryVerdict[] {
  const policy = { ...DEFAULT_REDELIVERY_POLICY, ...input.policy };
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of input.attempts) {
    const group = byGuid.get(attempt.guid) ?? [];
    group.push(attempt);
    byGuid.set(attempt.guid, group);
  }
  const verdicts: { first: DeliveryAttempt; verdict: RedeliveryVerdict }[] = [];
  for (const [guid, group] of byGuid) {
    if (group.some(isSuccess)) continue;
    const sorted = [...group].sort((a, b) => a.id - b.id);
    const first = sorted[0];
    const latest = sorted.at(-1);
    if (first === undefined || latest === undefined) continue;
    const ask = input.asked.get(guid);
    const attempts = Math.max(sorted.length, 1 + (ask?.asks ?? 0));
    const base = { guid, event: latest.event, attempts };
    const reason = skipReason({ guid, latest, ask, attempts, policy, input });
    verdicts.push({
      first,
      verdict:
        reason === undefined
          ? { ...base, action: "redeliver", attemptId: latest.id }
          : { ...base, action: "skip", reason },
    });
  }
  return verdicts
    .sort(
      (a, b) => Date.parse(a.first.deliveredAt) - Date.parse(b.first.deliveredAt) || a.first.id - b.first.id,
    )
    .map((v) => v.verdict);
}

function skipReason(facts: {
  guid: string;
  latest: DeliveryAttempt;
  ask: EarlierAsk | undefined;
  attempts: number;
  policy: RedeliveryPolicy;
  input: { received: ReadonlySet<string>; now: number };
}): SkipReason | undefined {
  const { latest, ask, policy } = facts;
  if (facts.input.received.has(facts.guid.toLowerCase())) return "received";
  if (facts.input.now - Date.parse(latest.deliveredAt) > policy.lookbackMs) return "too-old";
  if (facts.attempts >= policy.maxAttempts) return "gave-up";
  // Attempt ids grow: an ask for this attempt (or a later one) has not produced a newer attempt yet.
  if (ask !== undefined && ask.lastAttemptId >= latest.id) return "waiting";
  return undefined;
}

function isSuccess(attempt: DeliveryAttempt): boolean {
  return attempt.statusCode >= 200 && attempt.statusCode < 300;
}
