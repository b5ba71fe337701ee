import type { IncomingMessage, ServerResponse } from "node:http";
import { verifySignature } from "../webhooks/verify-signature.ts";
import type { Enqueue } from "./delivery.ts";
import { readBody } from "./read-body.ts";

export interface WebhookHandlerOptions {
  secret: string;
  /** The app's own id and bot login, to ignore events the app caused itself. */
  self: { appId: number; botLogin: string };
  enqueue: Enqueue;
  /** One short line per rejected or ignored delivery; never the payload. */
  log: (line: string) => void;
  now?: () => Date;
  maxBodyBytes?: number;
}

const DELIVERY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The webhook endpoint: verifies the signature of the raw body before parsing anything, refuses what is not a
 * well-formed GitHub delivery, ignores the app's own events, and answers as soon as the delivery is durably
 * queued (the work happens in the worker, so GitHub's 10-second limit is never at risk).
 */
export function createWebhookHandler(options: WebhookHandlerOptions) {
  const now = options.now ?? (() => new Date());
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const reply = (status: number, message: string) => {
      response.writeHead(status, { "content-type": "application/json", connection: "close" });
      response.end(JSON.stringify({ message }));
    };
    if (request.method !== "POST") return reply(405, "webhooks are POSTed");
    const event = header(request, "x-github-event");
    const id = header(request, "x-github-delivery");
    const read = await readBody(request, options.maxBodyBytes);
    if (!read.ok) {
      options.log(`webhook refused: body ${read.reason} (delivery ${id ?? "?"}, event ${event ?? "?"})`);
      return read.reason === "too-large" ? reply(413, "payload larger than GitHub's 25 MB limit") : undefined;
    }
    const signature = verifySignature({
      secret: options.secret,
      body: read.body,
      header: request.headers["x-hub-signature-256"],
    });
    if (!signature.ok) {
      options.log(
        `webhook refused: signature ${signature.reason} (delivery ${id ?? "?"}, event ${event ?? "?"})`,
      );
      return reply(401, "signature does not match");
    }
    if (!event || !id || !DELIVERY_ID.test(id))
      return reply(400, "missing X-GitHub-Event or X-GitHub-Delivery");
    let payload: unknown;
    try {
      payload = JSON.parse(read.body.toString("utf8"));
    } catch {
      return reply(400, "body is not JSON");
    }
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
      return reply(400, "body is not a JSON object");
    }
    const body = payload as Record<string, unknown>;
    if (causedBySelf(body, options.self)) {
      options.log(`webhook ignored: caused by this app (delivery ${id}, event ${event})`);
      return reply(202, "ignored: caused by this app");
    }
    const action = typeof body["action"] === "string" ? body["action"] : undefined;
    const outcome = await options.enqueue({
      id: id.toLowerCase(),
      event,
      ...(action === undefined ? {} : { action }),
      receivedAt: now().toISOString(),
      payload: body,
    });
    reply(202, outcome);
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The sender is this app's bot (its comments, deployments, statuses), or a bot acting through this app.
 * Humans acting on the app's objects (a click on its check run's button) are not ignored.
 */
function causedBySelf(payload: Record<string, unknown>, self: { appId: number; botLogin: string }): boolean {
  const sender = payload["sender"] as { type?: unknown; login?: unknown } | undefined;
  if (sender?.type !== "Bot") return false;
  if (typeof sender.login === "string" && sender.login.toLowerCase() === self.botLogin.toLowerCase())
    return true;
  const comment = payload["comment"] as { performed_via_github_app?: { id?: unknown } | null } | undefined;
  return comment?.performed_via_github_app?.id === self.appId;
}
