import type { GitHub } from "../github/github-client.ts";
import {
  chooseRedeliveries,
  DEFAULT_REDELIVERY_POLICY,
  unsuccessfulGuids,
  type DeliveryAttempt,
  type RedeliveryPolicy,
} from "./choose-redeliveries.ts";
import type { RedeliveryRecords } from "./redelivery-records.ts";

/** The two App webhook endpoints the scan calls, authenticated with the app's JWT. */
export interface AppHooksClient {
  rest: { apps: Pick<GitHub["rest"]["apps"], "listWebhookDeliveries" | "redeliverWebhookDelivery"> };
}

export interface RedeliveryDeps {
  github: AppHooksClient;
  records: RedeliveryRecords;
  /** Whether the intake queue already holds a delivery id (then GitHub's failure was only the answer's). */
  wasReceived: (guid: string) => Promise<boolean>;
  redact: (text: string) => string;
  log: (line: string) => void;
  now: () => number;
}

export interface RedeliveryOptions extends Partial<RedeliveryPolicy> {
  /** Deliveries a page (GitHub: at most 100). */
  pageSize?: number;
  /** Pages a scan reads at most, newest first. */
  maxPages?: number;
  /** How far before the last scan's newest delivery a scan starts again (the log fills in late). */
  overlapMs?: number;
}

/** What one scan did: the deliveries it saw, and the guids it asked GitHub to redeliver. */
export interface RedeliveryScan {
  scanned: number;
  redelivered: string[];
  failed: string[];
}

/**
 * Asks GitHub to redeliver webhook deliveries the app missed (it was down, restarting, unreachable): reads the
 * App's delivery log back to the last scan (at most the lookback), picks with chooseRedeliveries the deliveries
 * no attempt of which got a 2xx and whose id the intake does not hold, and redelivers each one's latest
 * attempt, counting every ask in the database so nothing is asked twice for the same attempt or more than
 * the policy allows. Undefined when another app instance is scanning.
 */
export async function redeliverMissed(
  deps: RedeliveryDeps,
  options: RedeliveryOptions = {},
): Promise<RedeliveryScan | undefined> {
  return deps.records.exclusively(() => scan(deps, options));
}

async function scan(deps: RedeliveryDeps, options: RedeliveryOptions): Promise<RedeliveryScan> {
  const policy = { ...DEFAULT_REDELIVERY_POLICY, ...options };
  const now = deps.now();
  const watermark = await deps.records.watermark();
  const since = Math.max(
    now - policy.lookbackMs,
    watermark === undefined ? -Infinity : watermark - (options.overlapMs ?? 15 * 60_000),
  );
  const attempts = await readLog(deps.github, {
    since,
    pageSize: options.pageSize ?? 100,
    maxPages: options.maxPages ?? 30,
  });
  const candidates = unsuccessfulGuids(attempts);
  const received = new Set<string>();
  for (const guid of candidates)
    if (await deps.wasReceived(guid.toLowerCase())) received.add(guid.toLowerCase());
  const verdicts = chooseRedeliveries({
    attempts,
    received,
    asked: await deps.records.asked(candidates),
    now,
    policy,
  });
  const result: RedeliveryScan = { scanned: attempts.length, redelivered: [], failed: [] };
  // A delivery whose ask failed must be seen again next time: the watermark stays before it.
  let newest = Math.max(watermark ?? -Infinity, ...attempts.map((a) => Date.parse(a.deliveredAt)));
  for (const verdict of verdicts) {
    if (verdict.action !== "redeliver") continue;
    const claimed = await deps.records.claimAsk({
      guid: verdict.guid,
      attemptId: verdict.attemptId,
      event: verdict.event,
    });
    if (!claimed) continue;
    try {
      await deps.github.rest.apps.redeliverWebhookDelivery({
        delivery_id: verdict.attemptId,
        request: { retries: 0 },
      });
      result.redelivered.push(verdict.guid);
    } catch (error) {
      await deps.records.releaseAsk(verdict.guid);
      result.failed.push(verdict.guid);
      const attempt = attempts.find((a) => a.id === verdict.attemptId);
      if (attempt !== undefined) newest = Math.min(newest, Date.parse(attempt.deliveredAt));
      deps.log(
        deps.redact(
          `webhook redelivery of ${verdict.event} delivery ${verdict.guid} failed: ${messageOf(error)}; asking again on the next scan`,
        ),
      );
    }
  }
  if (Number.isFinite(newest)) await deps.records.saveWatermark(newest);
  await deps.records.prune(now - 2 * policy.lookbackMs);
  if (result.redelivered.length > 0)
    deps.log(
      deps.redact(
        `asked GitHub to redeliver ${result.redelivered.length} missed webhook deliveries: ${result.redelivered.join(", ")}`,
      ),
    );
  return result;
}

/** GitHub's log from the newest attempt back to `since` (cursor pagination, newest first). */
async function readLog(
  github: AppHooksClient,
  request: { since: number; pageSize: number; maxPages: number },
): Promise<DeliveryAttempt[]> {
  const attempts: DeliveryAttempt[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < request.maxPages; page++) {
    const response = await github.rest.apps.listWebhookDeliveries({
      per_page: request.pageSize,
      ...(cursor === undefined ? {} : { cursor }),
    });
    let reachedSince = response.data.length === 0;
    for (const item of response.data) {
      if (Date.parse(item.delivered_at) < request.since) {
        reachedSince = true;
        continue;
      }
      attempts.push({
        id: item.id,
        guid: item.guid,
        deliveredAt: item.delivered_at,
        redelivery: item.redelivery,
        statusCode: item.status_code,
        event: item.event,
        action: item.action,
      });
    }
    cursor = nextCursor(response.headers.link);
    if (reachedSince || cursor === undefined) break;
  }
  return attempts;
}

/** The `cursor` of the Link header's `rel="next"` URL. */
export function nextCursor(link: string | undefined): string | undefined {
  const next = link?.split(",").find((part) => /rel="next"/.test(part));
  const url = next === undefined ? undefined : /<([^>]+)>/.exec(next)?.[1];
  return url === undefined ? undefined : (new URL(url).searchParams.get("cursor") ?? undefined);
}

/**
 * Runs redeliverMissed now and then every `intervalSeconds` until stopped. A failing scan (GitHub down,
 * database away) is logged, redacted, and tried again at the next interval; it never throws.
 * @example const redelivery = startRedelivery(deps, { intervalSeconds: 300 }); … await redelivery.stop()
 */
export function startRedelivery(
  deps: RedeliveryDeps,
  options: RedeliveryOptions & { intervalSeconds: number },
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = redeliverMissed(deps, options)
      .then(() => undefined)
      .catch((error: unknown) => {
        deps.log(
          deps.redact(
            `webhook redelivery scan failed: ${messageOf(error)}; trying again in ${options.intervalSeconds} s`,
          ),
        );
      })
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(run, options.intervalSeconds * 1000);
        timer.unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
