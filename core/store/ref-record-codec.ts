import { canonicalJson } from "../artifact/canonical-json.ts";
import { isDigest } from "../artifact/digest.ts";
import type { BuildBytes, BuildTimings, RefRecord } from "./store.ts";

/** The bytes a RefRecord is stored as (canonical JSON, only the record's own fields). */
export function encodeRefRecord(record: RefRecord): Buffer {
  const { digest, path, builtAt, builder, timings, bytes } = record;
  return Buffer.from(
    canonicalJson({
      digest,
      path,
      builtAt,
      builder,
      ...(timings ? { timings: { buildMs: timings.buildMs, uploadMs: timings.uploadMs } } : {}),
      ...(bytes ? { bytes: { uploaded: bytes.uploaded, reused: bytes.reused } } : {}),
    }),
    "utf8",
  );
}

/**
 * Parses a stored RefRecord; `where` names the store and key in errors. The build figures (`timings`,
 * `bytes`) only feed reports: malformed ones are left out rather than failing the deploy that reads them.
 */
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
  if (!isObject(raw)) return fail("is not an object");
  const { digest, path, builtAt, builder } = raw;
  if (typeof digest !== "string" || !isDigest(digest)) return fail("field digest is not a sha256 digest");
  if (typeof path !== "string" || path === "") return fail("field path is not a non-empty string");
  if (typeof builtAt !== "string") return fail("field builtAt is not a string");
  if (typeof builder !== "string") return fail("field builder is not a string");
  const times = figurePair(raw["timings"], "buildMs", "uploadMs");
  const sizes = figurePair(raw["bytes"], "uploaded", "reused");
  const timings: BuildTimings | undefined = times && { buildMs: times[0], uploadMs: times[1] };
  const sent: BuildBytes | undefined = sizes && { uploaded: sizes[0], reused: sizes[1] };
  return {
    digest,
    path,
    builtAt,
    builder,
    ...(timings ? { timings } : {}),
    ...(sent ? { bytes: sent } : {}),
  };
}

/** The fields `a` and `b` of `value`, when it is an object holding both as finite numbers ≥ 0. */
function figurePair(value: unknown, a: string, b: string): [number, number] | undefined {
  if (!isObject(value)) return undefined;
  const first = value[a];
  const second = value[b];
  return isFigure(first) && isFigure(second) ? [first, second] : undefined;
}

function isFigure(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
