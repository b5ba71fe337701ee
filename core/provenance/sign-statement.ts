import { canonicalJson } from "../artifact/canonical-json.ts";
import type { ProvenanceSigner } from "./provenance-signer.ts";
import { IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope, type ProvenanceStatement } from "./provenance-types.ts";

/** The exact payload bytes of a statement: canonical JSON (sorted keys, no whitespace), UTF-8. */
export function encodeStatement(statement: ProvenanceStatement): Buffer {
  return Buffer.from(canonicalJson(statement), "utf8");
}

/**
 * Signs a statement into a DSSE envelope of type `application/vnd.in-toto+json`.
 * @example const envelope = await signStatement(statement, createEd25519Signer(pem, "AETHER_SIGNING_KEY"));
 */
export function signStatement(
  statement: ProvenanceStatement,
  signer: ProvenanceSigner,
): Promise<DsseEnvelope> {
  return signer.sign({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: encodeStatement(statement) });
}

/** The envelope as file bytes (`<artifact>.intoto.jsonl` style: one JSON line, newline-terminated). */
export function encodeEnvelope(envelope: DsseEnvelope): string {
  return `${canonicalJson(envelope)}\n`;
}
