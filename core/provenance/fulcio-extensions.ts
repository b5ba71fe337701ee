import type { X509Certificate } from "node:crypto";

/**
 * What Fulcio writes about a GitHub Actions job into the certificate it issues
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). For a job that calls a reusable workflow,
 * the build signer names the reusable workflow (as the SAN does), while the source repository, its digest
 * and ref, the build config and the runner environment name the calling workflow's run.
 */
export interface FulcioExtensions {
  /** 1.3.6.1.4.1.57264.1.8 (or the legacy …1.1): the OIDC issuer. */
  issuer?: string;
  /** …1.9: the workflow that signed, `https://github.com/OWNER/REPO/.github/workflows/FILE@REF`. */
  buildSignerUri?: string;
  /** …1.10: the commit of the signing workflow. */
  buildSignerDigest?: string;
  /** …1.11: `github-hosted` or `self-hosted`. */
  runnerEnvironment?: string;
  /** …1.12: the repository whose run it was, `https://github.com/OWNER/REPO`. */
  sourceRepositoryUri?: string;
  /** …1.13: the commit the run built. */
  sourceRepositoryDigest?: string;
  /** …1.14: the ref the run built, `refs/heads/main`. */
  sourceRepositoryRef?: string;
  /** …1.18: the top-level workflow of the run (the caller of a reusable workflow). */
  buildConfigUri?: string;
  /** Legacy …1.5: `OWNER/REPO` of the run (certificates from before …1.12 existed). */
  githubWorkflowRepository?: string;
  /** Legacy …1.3: the commit of the run. */
  githubWorkflowSha?: string;
}

const FULCIO_ARC = "1.3.6.1.4.1.57264.1.";

const NAMES: Record<string, keyof FulcioExtensions> = {
  "1": "issuer",
  "3": "githubWorkflowSha",
  "5": "githubWorkflowRepository",
  "8": "issuer",
  "9": "buildSignerUri",
  "10": "buildSignerDigest",
  "11": "runnerEnvironment",
  "12": "sourceRepositoryUri",
  "13": "sourceRepositoryDigest",
  "14": "sourceRepositoryRef",
  "18": "buildConfigUri",
};

/**
 * Reads Fulcio's extensions from a certificate (node's X509Certificate does not expose them). Extensions
 * …1.1 to …1.6 hold the raw string; …1.8 onwards a DER UTF8String. Where both issuer extensions are present,
 * …1.8 wins. A certificate whose extensions do not parse has none.
 */
export function readFulcioExtensions(certificate: X509Certificate): FulcioExtensions {
  const found: FulcioExtensions = {};
  let extensions: Tlv[];
  try {
    extensions = certificateExtensions(certificate.raw);
  } catch {
    return found;
  }
  for (const extension of extensions) {
    const [id, ...rest] = children(extension);
    if (id?.tag !== 0x06) continue;
    const oid = decodeOid(id.value);
    if (!oid.startsWith(FULCIO_ARC)) continue;
    const arc = oid.slice(FULCIO_ARC.length);
    const name = NAMES[arc];
    const octets = rest.find((item) => item.tag === 0x04);
    if (name === undefined || octets === undefined) continue;
    if (name === "issuer" && arc === "1" && found.issuer !== undefined) continue;
    found[name] = Number(arc) >= 8 ? derString(octets.value) : octets.value.toString("utf8");
  }
  return found;
}

interface Tlv {
  tag: number;
  value: Buffer;
}

/** Certificate → tbsCertificate → `[3] EXPLICIT` → the SEQUENCE of extensions. */
function certificateExtensions(der: Buffer): Tlv[] {
  const [tbs] = children(readTlv(der, 0).tlv);
  if (tbs === undefined) throw new Error("no tbsCertificate");
  const wrapper = children(tbs).find((item) => item.tag === 0xa3);
  if (wrapper === undefined) return [];
  const [sequence] = children(wrapper);
  return sequence === undefined ? [] : children(sequence);
}

function children(parent: Tlv): Tlv[] {
  const items: Tlv[] = [];
  for (let offset = 0; offset < parent.value.length;) {
    const { tlv, next } = readTlv(parent.value, offset);
    items.push(tlv);
    offset = next;
  }
  return items;
}

function readTlv(bytes: Buffer, offset: number): { tlv: Tlv; next: number } {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  if (tag === undefined || length === undefined) throw new Error("truncated DER");
  let start = offset + 2;
  if (length >= 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error("unsupported DER length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] ?? 0);
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new Error("truncated DER");
  return { tlv: { tag, value: bytes.subarray(start, end) }, next: end };
}

function decodeOid(bytes: Buffer): string {
  const first = bytes[0] ?? 0;
  const arcs = [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40))];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

/** A DER string (UTF8String, IA5String, PrintableString) as text; bytes that are not one, as UTF-8. */
function derString(bytes: Buffer): string {
  try {
    const { tlv, next } = readTlv(bytes, 0);
    if (next === bytes.length && [0x0c, 0x16, 0x13].includes(tlv.tag)) return tlv.value.toString("utf8");
  } catch {
    // Not DER: fall through to the raw bytes.
  }
  return bytes.toString("utf8");
}
