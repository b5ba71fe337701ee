import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "mismatch" };

const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/;

/**
 * Checks GitHub's `X-Hub-Signature-256` header against the HMAC-SHA256 of the raw body, before anything
 * parses the body. The comparison takes the same time whatever the bytes, so a forger learns nothing from
 * timing; the reason says which way it failed, for one short log line (never the payload).
 * @example verifySignature({ secret, body: rawBytes, header: req.headers["x-hub-signature-256"] })
 */
export function verifySignature(request: {
  secret: string;
  body: Uint8Array;
  header: string | string[] | undefined;
}): SignatureCheck {
  const { header } = request;
  if (header === undefined || header === "" || Array.isArray(header)) return { ok: false, reason: "missing" };
  const match = HEADER_PATTERN.exec(header.trim().toLowerCase());
  if (!match?.[1]) return { ok: false, reason: "malformed" };
  const expected = createHmac("sha256", request.secret).update(request.body).digest();
  const given = Buffer.from(match[1], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: "mismatch" };
}
