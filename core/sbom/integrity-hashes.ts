import type { HashAlgorithm, PackageHash } from "./sbom-model.ts";

const SRI_ALGORITHMS: Record<string, HashAlgorithm> = {
  sha1: "SHA-1",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

/**
 * Hashes from a Subresource Integrity string (`sha512-<base64> sha1-<base64>`), as npm, pnpm and yarn
 * record them, converted to the hex CycloneDX wants. Unknown algorithms are skipped.
 */
export function integrityHashes(integrity: string | undefined): PackageHash[] {
  if (!integrity) return [];
  // npm's usual single `sha512-…`, without splitting: this runs once per package of a lockfile.
  if (integrity.startsWith("sha512-") && !/[\s?]/.test(integrity))
    return [{ alg: "SHA-512", content: Buffer.from(integrity.slice(7), "base64").toString("hex") }];
  const out: PackageHash[] = [];
  for (const part of integrity.trim().split(/\s+/)) {
    const dash = part.indexOf("-");
    const alg = SRI_ALGORITHMS[part.slice(0, dash)];
    if (dash <= 0 || !alg) continue;
    const body = part.slice(dash + 1).replace(/\?.*$/, "");
    out.push({ alg, content: Buffer.from(body, "base64").toString("hex") });
  }
  return out;
}

/** A `sha256:<hex>` style hash (pip, uv, poetry); undefined for algorithms CycloneDX has no name for. */
export function prefixedHash(value: string): PackageHash | undefined {
  const colon = value.indexOf(":");
  const alg = SRI_ALGORITHMS[value.slice(0, colon).toLowerCase()];
  const content = value.slice(colon + 1).toLowerCase();
  if (!alg || !/^[0-9a-f]+$/.test(content)) return undefined;
  return { alg, content };
}
