import { createHmac, randomUUID } from "node:crypto";

/** The HTTP request GitHub would send for a webhook delivery. */
export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
  deliveryId: string;
}

/**
 * Serializes `payload` and signs it as GitHub does (`x-hub-signature-256: sha256=<HMAC-SHA256 hex>`),
 * with a fresh `x-github-delivery` UUID unless `deliveryId` is given (to replay a delivery).
 */
export function signedDelivery(options: {
  event: string;
  payload: unknown;
  secret: string;
  deliveryId?: string;
}): SignedDelivery {
  const body = JSON.stringify(options.payload);
  const deliveryId = options.deliveryId ?? randomUUID();
  const signature = createHmac("sha256", options.secret).update(body).digest("hex");
  return {
    deliveryId,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/test",
      "x-github-event": options.event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "1",
      "x-hub-signature-256": `sha256=${signature}`,
    },
  };
}
