import type { ResourceDescriptor } from "./provenance-types.ts";

/** The source repository URL a statement names: its first `git+URL@REF` dependency, without the ref. */
export function repositoryOf(dependencies: readonly ResourceDescriptor[]): string | undefined {
  for (const dep of dependencies) {
    const uri = dep.uri;
    if (!uri?.startsWith("git+")) continue;
    const url = uri.slice("git+".length);
    const schemeEnd = url.indexOf("://");
    const at = url.indexOf("@", schemeEnd < 0 ? 0 : schemeEnd + 3);
    return at < 0 ? url : url.slice(0, at);
  }
  return undefined;
}

/**
 * `OWNER/REPO` means the repository on github.com; a URL is kept (GitHub Enterprise). Trailing `/` and `.git`
 * are dropped.
 */
export function normalizeRepository(value: string): string {
  const trimmed = value
    .trim()
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
  return trimmed.includes("://") ? trimmed : `https://github.com/${trimmed}`;
}

/** GitHub owner and repository names are case-insensitive. */
export function sameRepository(a: string, b: string): boolean {
  return normalizeRepository(a).toLowerCase() === normalizeRepository(b).toLowerCase();
}
