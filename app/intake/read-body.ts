import type { IncomingMessage } from "node:http";

/** GitHub caps webhook payloads at 25 MB; anything larger is not GitHub. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/**
 * Reads a request body into memory up to `limit` bytes: a Content-Length over the limit is refused before
 * reading, and a body that grows past it is cut off, so a huge or endless upload costs nothing.
 */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.resolve({ ok: false, reason: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        settle({ ok: false, reason: "too-large" });
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => settle({ ok: true, body: Buffer.concat(chunks) }));
    request.on("aborted", () => settle({ ok: false, reason: "aborted" }));
    request.on("error", () => settle({ ok: false, reason: "aborted" }));
  });
}
