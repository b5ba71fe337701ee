/** One webhook delivery as the queue keeps it: GitHub's delivery id, event, action and parsed payload. */
export interface Delivery {
  id: string;
  event: string;
  action?: string;
  receivedAt: string;
  payload: Record<string, unknown>;
}

/** Where accepted deliveries go; `duplicate` when a delivery with that id was already taken in. */
export type Enqueue = (delivery: Delivery) => Promise<"queued" | "duplicate">;
