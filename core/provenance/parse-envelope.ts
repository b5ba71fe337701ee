import { EnvelopeParseError } from "./provenance-errors.ts";
import type { DsseEnvelope, DsseSignature } from "./provenance-types.ts";

/** Standard or URL-safe base64 (DSSE verifiers must accept either), padding optional. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Parses a DSSE envelope from JSON text (a `.intoto.jsonl` file holds one per line; the first is read). A
 * Sigstore bundle gives the envelope it holds (its certificate and log entries: see `parseAttestation`).
 * `where` names the file or source in every error. Past this point the envelope's shape is trusted; its
 * signatures are not (see `verifyProvenance`).
 * @example parseEnvelope(await readFile(path, "utf8"), path)
 */
export function parseEnvelope(text: string, where: string): DsseEnvelope {
  const line = text.split("\n").find((l) => l.trim() !== "");
  if (line === undefined) throw new EnvelopeParseError(`${where}: the provenance file is empty`);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    throw new EnvelopeParseError(
      `${where}: not a DSSE envelope: the JSON does not parse (${(error as Error).message}). ` +
        `Was the file truncated? Make it again with the build.`,
    );
  }
  const fail = (field: string, what: string): never => {
    throw new EnvelopeParseError(`${where}: not a DSSE envelope: ${field} ${what}`);
  };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    fail("the document", "must be an object");
  let obj = raw as Record<string, unknown>;
  const inner = obj["dsseEnvelope"];
  if (String(obj["mediaType"]).startsWith("application/vnd.dev.sigstore.bundle") && isObject(inner))
    obj = inner;
  const payloadType = obj["payloadType"];
  if (typeof payloadType !== "string") fail("payloadType", "must be a string");
  const payload = obj["payload"];
  if (typeof payload !== "string") fail("payload", "must be a base64 string");
  if (!BASE64.test(payload as string)) fail("payload", "is not base64");
  const signatures = obj["signatures"];
  if (!Array.isArray(signatures) || signatures.length === 0) {
    fail("signatures", "must be a non-empty array (the envelope is unsigned)");
  }
  return {
    payloadType: payloadType as string,
    payload: payload as string,
    signatures: (signatures as unknown[]).map((s, i) => parseSignature(s, `signatures[${i}]`, fail)),
  };
}

function parseSignature(
  raw: unknown,
  path: string,
  fail: (field: string, what: string) => never,
): DsseSignature {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail(path, "must be an object");
  const obj = raw as Record<string, unknown>;
  const sig = obj["sig"];
  if (typeof sig !== "string" || sig === "" || !BASE64.test(sig))
    return fail(`${path}.sig`, "must be base64");
  const keyid = obj["keyid"];
  if (keyid !== undefined && typeof keyid !== "string") return fail(`${path}.keyid`, "must be a string");
  return keyid === undefined ? { sig } : { keyid, sig };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
