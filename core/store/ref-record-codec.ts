import { canonicalJson } from "../artifact/canonical-json.ts";
import { isDigest } from "../artifact/digest.ts";
import type { RefRecord } from "./store.ts";

/** The bytes a RefRecord is stored as (canonical JSON, only the record's own fields). */
export function encodeRefRecord(record: RefRecord): Buffer {
  const { digest, path, builtAt, builder } = record;
  return Buffer.from(canonicalJson({ digest, path, builtAt, builder }), "utf8");
}

/** Parses a stored RefRecord; `where` names the store and key in errors. */
export function decodeRefRecord(bytes: Uint8Array, where: string): RefRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new Error(`${where}: ref record is not valid JSON (${String(error)}); build the commit again`, {
      cause: error,
    });
  }
  const fail = (what: string): never => {
    throw new Error(`${where}: ref record ${what}; build the commit again to rewrite it`);
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail("is not an object");
  const { digest, path, builtAt, builder } = raw as Record<string, unknown>;
  if (typeof digest !== "string" || !isDigest(digest)) return fail("field digest is not a sha256 digest");
  if (typeof path !== "string" || path === "") return fail("field path is not a non-empty string");
  if (typeof builtAt !== "string") return fail("field builtAt is not a string");
  if (typeof builder !== "string") return fail("field builder is not a string");
  return { digest, path, builtAt, builder };
}
