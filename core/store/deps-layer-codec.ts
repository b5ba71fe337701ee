import { canonicalJson } from "../artifact/canonical-json.ts";
import { isDigest } from "../artifact/digest.ts";
import { LAYER_MEDIA_TYPE, type LayerDescriptor } from "../artifact/manifest.ts";

/** A dependency-layer index record as stored: the descriptor's canonical JSON. */
export function encodeDepsLayer(layer: LayerDescriptor): Buffer {
  return Buffer.from(canonicalJson(layer), "utf8");
}

/**
 * Reads a dependency-layer record; a record that does not parse or describe a deps layer with this key is
 * treated as absent (the install runs again), never trusted.
 */
export function decodeDepsLayer(bytes: Uint8Array, key: string): LayerDescriptor | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  const { digest, size, entries } = r;
  if (r["role"] !== "deps" || r["key"] !== key || r["mediaType"] !== LAYER_MEDIA_TYPE) return undefined;
  if (typeof digest !== "string" || !isDigest(digest)) return undefined;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (typeof entries !== "number" || !Number.isSafeInteger(entries) || entries < 0) return undefined;
  return { role: "deps", mediaType: LAYER_MEDIA_TYPE, digest, size, entries, key };
}
