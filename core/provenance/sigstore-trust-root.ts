import { TrustedRoot } from "@sigstore/protobuf-specs";
import { toTrustMaterial, type TrustMaterial } from "@sigstore/verify";
import { X509Certificate } from "node:crypto";

/** The media type prefix of a `trusted_root.json` (Sigstore's protobuf-specs `TrustedRoot`). */
export const TRUSTED_ROOT_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.trustedroot";

/** A trusted root Aether verifies Sigstore bundles against. */
export interface SigstoreTrustedRoot {
  material: TrustMaterial;
  /** Names the root in messages (its file path, with the line for a JSON-lines file). */
  where: string;
  /** Every certificate of the root's certificate authorities: what picks the root that issued a bundle's. */
  authorities: readonly X509Certificate[];
}

/** A `trusted_root.json` that cannot be used; the message names the file and how to get a good one. */
export class SigstoreTrustedRootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigstoreTrustedRootError";
  }
}

const HOW_TO_GET_ONE =
  "Get Sigstore's with `gh attestation trusted-root > trusted_root.jsonl` (or from its TUF repository, " +
  "https://tuf-repo-cdn.sigstore.dev, target trusted_root.json)";

/**
 * Parses a Sigstore `trusted_root.json` (the certificate authorities whose certificates are trusted, the
 * transparency logs, CT logs and timestamp authorities whose keys are): the same file `cosign`,
 * `sigstore-js` and `gh attestation verify` use. `where` names it in errors.
 * @example parseSigstoreTrustedRoot(await readFile(path, "utf8"), path)
 */
export function parseSigstoreTrustedRoot(text: string, where: string): SigstoreTrustedRoot {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SigstoreTrustedRootError(
      `${where}: not a Sigstore trusted root: the JSON does not parse (${(error as Error).message}). ${HOW_TO_GET_ONE}.`,
    );
  }
  return trustedRootFrom(raw, where);
}

/**
 * Parses a file of one trusted root, or of several in JSON lines, one root per line, as
 * `gh attestation trusted-root` prints them (Sigstore's public-good root and GitHub's own). Each root is kept
 * apart, so a bundle is verified against the root whose certificate authority issued its certificate, with
 * that root's logs and CT logs alone. Errors name the line (`trusted_root.jsonl line 2: …`).
 * @example parseSigstoreTrustedRoots(await readFile(path, "utf8"), path)
 */
export function parseSigstoreTrustedRoots(text: string, where: string): SigstoreTrustedRoot[] {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.trim() !== "");
  // A pretty-printed document's first line is `{`, which is no JSON on its own: one root, not JSON lines.
  if (first < 0 || !parsesAlone(lines[first] ?? "")) return [parseSigstoreTrustedRoot(text, where)];
  const roots: SigstoreTrustedRoot[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== "") roots.push(parseSigstoreTrustedRoot(line, `${where} line ${i + 1}`));
  });
  return roots;
}

function parsesAlone(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function trustedRootFrom(raw: unknown, where: string): SigstoreTrustedRoot {
  const mediaType =
    raw !== null && typeof raw === "object" && "mediaType" in raw ? String(raw.mediaType) : undefined;
  if (mediaType === undefined || !mediaType.startsWith(TRUSTED_ROOT_MEDIA_TYPE_PREFIX)) {
    throw new SigstoreTrustedRootError(
      `${where}: not a Sigstore trusted root: mediaType is ${JSON.stringify(mediaType)}, expected ` +
        `${TRUSTED_ROOT_MEDIA_TYPE_PREFIX}+json;version=0.1. ${HOW_TO_GET_ONE}.`,
    );
  }
  let material: TrustMaterial;
  let authorities: X509Certificate[];
  try {
    const root = TrustedRoot.fromJSON(raw);
    material = toTrustMaterial(root);
    authorities = root.certificateAuthorities.flatMap((ca) =>
      (ca.certChain?.certificates ?? []).map((c) => new X509Certificate(c.rawBytes)),
    );
  } catch (error) {
    throw new SigstoreTrustedRootError(
      `${where}: the Sigstore trusted root has an unusable entry (${(error as Error).message}). ${HOW_TO_GET_ONE}.`,
    );
  }
  if (material.certificateAuthorities.length === 0) {
    throw new SigstoreTrustedRootError(
      `${where}: the Sigstore trusted root lists no certificateAuthorities, so no certificate can be trusted. ${HOW_TO_GET_ONE}.`,
    );
  }
  if (material.tlogs.length === 0 && material.timestampAuthorities.length === 0) {
    throw new SigstoreTrustedRootError(
      `${where}: the Sigstore trusted root lists no tlogs and no timestampAuthorities, so no signing time ` +
        `can be trusted. ${HOW_TO_GET_ONE}.`,
    );
  }
  return { material, where, authorities };
}
