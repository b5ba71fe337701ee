import { errorReply, notFound, type Handler } from "./handler.ts";
import { isObject, type JsonObject } from "./openapi-spec.ts";
import type { SignedDelivery } from "./signed-delivery.ts";

const docs = "https://docs.github.com/rest/apps/webhooks";

/** One attempt in the App's webhook delivery log, as `GET /app/hook/deliveries` lists it. */
export interface HookAttempt {
  id: number;
  /** The `X-GitHub-Delivery` header: shared by a delivery and all its redeliveries. */
  guid: string;
  deliveredAt: string;
  redelivery: boolean;
  /** What the webhook URL answered; 0 when it could not be reached. */
  statusCode: number;
  status: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  /** The signed request, sent again as it was on a redelivery. */
  request: SignedDelivery;
}

/**
 * The App's webhook delivery log. A test records what GitHub tried to deliver (`record`, without sending:
 * the app was down) or delivers for real through it (`send`); `POST /app/hook/deliveries/{id}/attempts`
 * sends an attempt's request again to `url` and logs the new attempt (same guid, `redelivery: true`).
 */
export class AppHookLog {
  /** The App's webhook URL, where deliveries and redeliveries go. */
  url: string | undefined;
  readonly attempts: HookAttempt[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly clock: { id: () => number; timestamp: () => string };

  constructor(clock: { id: () => number; timestamp: () => string }) {
    this.clock = clock;
  }

  /** Logs an attempt without sending it (what GitHub logs when the app was down: 502, or 0 and `failed to connect`). */
  record(request: {
    delivery: SignedDelivery;
    statusCode: number;
    status?: string;
    redelivery?: boolean;
  }): HookAttempt {
    const payload = parsePayload(request.delivery.body);
    const attempt: HookAttempt = {
      id: this.clock.id(),
      guid: request.delivery.deliveryId,
      deliveredAt: this.clock.timestamp(),
      redelivery: request.redelivery ?? false,
      statusCode: request.statusCode,
      status: request.status ?? statusText(request.statusCode),
      event: request.delivery.headers["x-github-event"] ?? "ping",
      action: typeof payload.action === "string" ? payload.action : null,
      installationId: idOf(payload.installation),
      repositoryId: idOf(payload.repository),
      request: request.delivery,
    };
    this.attempts.push(attempt);
    return attempt;
  }

  /** POSTs the delivery to `url` (the App's webhook URL unless given) and logs the outcome. */
  async send(
    delivery: SignedDelivery,
    options: { url?: string; redelivery?: boolean } = {},
  ): Promise<HookAttempt> {
    const url = options.url ?? this.url;
    const redelivery = options.redelivery ?? false;
    if (url === undefined)
      return this.record({ delivery, statusCode: 0, status: "failed to connect", redelivery });
    try {
      const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body });
      await response.text();
      return this.record({ delivery, statusCode: response.status, redelivery });
    } catch {
      return this.record({ delivery, statusCode: 0, status: "failed to connect", redelivery });
    }
  }

  /** Sends an attempt's request again in the background, as GitHub does after answering 202. */
  redeliver(attempt: HookAttempt): void {
    const sent = this.send(attempt.request, { redelivery: true }).finally(() => this.pending.delete(sent));
    this.pending.add(sent);
  }

  /** Resolves once every redelivery asked so far has been sent and logged. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** The attempts of one delivery (guid), oldest first. */
  of(guid: string): HookAttempt[] {
    return this.attempts.filter((a) => a.guid === guid);
  }
}

/** `GET /app/hook/deliveries` (newest first, cursor pagination) and `POST …/{delivery_id}/attempts`. */
export const appHookHandlers: Record<string, Handler> = {
  "apps/list-webhook-deliveries": (c) => {
    const perPage = Math.min(Math.max(Number(c.query.per_page ?? 30), 1), 100);
    const before = /^v1_(\d+)$/.exec(c.query.cursor ?? "")?.[1];
    if (c.query.cursor !== undefined && before === undefined)
      return errorReply(422, "Invalid cursor", `${docs}#list-deliveries-for-an-app-webhook`);
    const success = (a: HookAttempt) => a.statusCode >= 200 && a.statusCode < 400;
    const matching = [...c.state.appHook.attempts]
      .sort((a, b) => b.id - a.id)
      .filter((a) => before === undefined || a.id < Number(before))
      .filter((a) => c.query.status !== "success" || success(a))
      .filter((a) => c.query.status !== "failure" || a.statusCode >= 400);
    const page = matching.slice(0, perPage);
    const last = page.at(-1);
    const headers: Record<string, string> = {};
    if (last !== undefined && matching.length > perPage) {
      const next = new URL(c.rawUrl, c.baseUrl);
      next.searchParams.set("per_page", String(perPage));
      next.searchParams.set("cursor", `v1_${last.id}`);
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return { status: 200, body: page.map(render), headers };
  },
  "apps/redeliver-webhook-delivery": (c) => {
    const attempt = c.state.appHook.attempts.find((a) => a.id === Number(c.params.delivery_id));
    if (attempt === undefined) return notFound(`${docs}#redeliver-a-delivery-for-an-app-webhook`);
    c.state.appHook.redeliver(attempt);
    return { status: 202, body: {} };
  },
};

function render(a: HookAttempt): JsonObject {
  return {
    id: a.id,
    guid: a.guid,
    delivered_at: a.deliveredAt,
    redelivery: a.redelivery,
    duration: 0.01,
    status: a.status,
    status_code: a.statusCode,
    event: a.event,
    action: a.action,
    installation_id: a.installationId,
    repository_id: a.repositoryId,
    throttled_at: null,
  };
}

function statusText(code: number): string {
  if (code === 0) return "failed to connect";
  return code >= 200 && code < 300 ? "OK" : `Invalid HTTP Response: ${code}`;
}

function parsePayload(body: string): JsonObject {
  try {
    const value: unknown = JSON.parse(body);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function idOf(value: unknown): number | null {
  if (value === null || typeof value !== "object" || !("id" in value)) return null;
  return typeof value.id === "number" ? value.id : null;
}
