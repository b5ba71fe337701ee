import type { SerializedBundle } from "@sigstore/bundle";
import { parseEnvelope } from "./parse-envelope.ts";
import { readSigstoreBundle } from "./read-sigstore-bundle.ts";
import { EnvelopeParseError } from "./provenance-errors.ts";
import type { DsseEnvelope } from "./provenance-types.ts";

/** Media types of Sigstore bundles start with this (v0.1 to v0.3). */
export const SIGSTORE_BUNDLE_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";

/** What is stored beside an artifact: a DSSE envelope signed with a key, or a Sigstore bundle around one. */
export type Attestation =
  | { kind: "dsse"; envelope: DsseEnvelope }
  | { kind: "sigstore"; bundle: SerializedBundle; envelope: DsseEnvelope };

/**
 * Reads an attestation (the first non-empty line of `text`, or all of it when that line is no JSON of its
 * own): a Sigstore bundle when its `mediaType` says so (its shape checked as Sigstore's own reader checks
 * it), else a DSSE envelope. `where` names the
 * source in every `EnvelopeParseError`.
 */
export function parseAttestation(text: string, where: string): Attestation {
  const line = text.split("\n").find((l) => l.trim() !== "");
  // A bundle as `gh attestation download` writes it is one line; as `actions/attest` or a person saves it,
  // it may be pretty-printed over many.
  const raw = parseJson(line) ?? parseJson(text);
  const mediaType = raw !== null && typeof raw === "object" && "mediaType" in raw ? raw.mediaType : undefined;
  if (typeof mediaType !== "string" || !mediaType.startsWith(SIGSTORE_BUNDLE_MEDIA_TYPE_PREFIX)) {
    return { kind: "dsse", envelope: parseEnvelope(text, where) };
  }
  try {
    readSigstoreBundle(raw);
  } catch (error) {
    throw new EnvelopeParseError(
      `${where}: not a valid Sigstore bundle (${(error as Error).message}). Was it truncated or edited? ` +
        `Sign the artifact again.`,
    );
  }
  // The parsing boundary: Sigstore's validator accepted the shape above.
  const bundle = raw as SerializedBundle;
  if (bundle.dsseEnvelope === undefined) {
    throw new EnvelopeParseError(
      `${where}: the Sigstore bundle holds a message signature, not a DSSE envelope with a provenance statement`,
    );
  }
  return { kind: "sigstore", bundle, envelope: parseEnvelope(JSON.stringify(bundle.dsseEnvelope), where) };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
