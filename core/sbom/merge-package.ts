import type { LockedPackage } from "./sbom-model.ts";

const SCOPE_RANK = { required: 0, optional: 1, excluded: 2 } as const;

/** Keeps one package per purl: the same version installed at several paths is one component. */
export function mergePackage(unique: Map<string, LockedPackage>, pkg: LockedPackage): LockedPackage {
  const seen = unique.get(pkg.purl);
  if (!seen) {
    unique.set(pkg.purl, pkg);
    return pkg;
  }
  if (SCOPE_RANK[pkg.scope] < SCOPE_RANK[seen.scope]) seen.scope = pkg.scope;
  if (seen.hashes.length === 0) seen.hashes = pkg.hashes;
  if (seen.licenses.length === 0) seen.licenses = pkg.licenses;
  return seen;
}
