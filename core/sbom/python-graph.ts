import type { LockedPackage, PackageScope } from "./sbom-model.ts";

/**
 * Sets each package's scope from what reaches it: production roots make it required, optional extras
 * optional, and anything reached only from development groups excluded.
 */
export function scopeByReach(
  all: readonly LockedPackage[],
  roots: Record<PackageScope, readonly string[]>,
): void {
  const byPurl = new Map(all.map((p) => [p.purl, p]));
  const seen = new Map<string, PackageScope>();
  for (const scope of ["required", "optional", "excluded"] as const) {
    const queue = [...roots[scope]];
    while (queue.length > 0) {
      const purl = queue.pop()!;
      if (seen.has(purl)) continue;
      seen.set(purl, scope);
      queue.push(...(byPurl.get(purl)?.dependsOn ?? []));
    }
  }
  for (const pkg of all) pkg.scope = seen.get(pkg.purl) ?? "excluded";
}
