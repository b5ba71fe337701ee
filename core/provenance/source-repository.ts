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

/** The source commit a statement names: the `gitCommit` of its first `git+URL@REF` dependency. */
export function sourceCommitOf(dependencies: readonly ResourceDescriptor[]): string | undefined {
  return dependencies.find((dep) => dep.uri?.startsWith("git+"))?.digest?.["gitCommit"];
}

/**
 * A workflow as a URL: `OWNER/REPO/.github/workflows/FILE[@REF]` means github.com; a URL is kept (GitHub
 * Enterprise).
 */
export function normalizeWorkflow(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes("://") ? trimmed : `https://github.com/${trimmed.replace(/^\/+/, "")}`;
}

/**
 * Whether a certificate's workflow URI (`https://github.com/OWNER/REPO/.github/workflows/FILE@REF`) is the
 * expected workflow. Owner and name ignore case; the path and ref do not. An expected workflow without `@REF`
 * accepts any ref.
 */
export function sameWorkflow(expected: string, actual: string): boolean {
  const split = (uri: string) => {
    const at = uri.indexOf("/.github/workflows/");
    const refAt = uri.lastIndexOf("@");
    return {
      repository: at < 0 ? uri : uri.slice(0, at).toLowerCase(),
      path: at < 0 ? "" : uri.slice(at, refAt > at ? refAt : undefined),
      ref: refAt > at && at >= 0 ? uri.slice(refAt + 1) : undefined,
    };
  };
  const want = split(normalizeWorkflow(expected));
  const got = split(actual.trim());
  return (
    want.repository === got.repository &&
    want.path === got.path &&
    (want.ref === undefined || want.ref === got.ref)
  );
}
