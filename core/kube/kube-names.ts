import { createHash } from "node:crypto";

/**
 * A DNS-1123 label (lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63) made
 * from any text; when shortening or cleaning changed it, a hash suffix keeps distinct inputs distinct.
 * @example dnsLabel("Octo-Org/Web.App") // "octo-org-web-app-1c2d3e4f"
 */
export function dnsLabel(text: string, max = 63): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (cleaned === text && cleaned.length <= max && cleaned.length > 0) return cleaned;
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 8);
  const room = max - hash.length - 1;
  const head = cleaned.slice(0, room).replace(/-+$/, "");
  return head ? `${head}-${hash}` : `x-${hash}`;
}

/** A label value (≤ 63 of alphanumerics, '-', '_', '.', starting and ending alphanumeric). */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return cleaned.length <= 63 ? cleaned : dnsLabel(text);
}
