/** Decides whether an entry (path relative to the packed root, "/"-separated) is left out. */
export type ExcludeMatcher = (path: string, name: string, isDirectory: boolean) => boolean;

/**
 * Builds the matcher for a layer's exclude rules. A rule ending in "/" with no other slash is a folder
 * name matched at any depth ("node_modules/", ".git/"); any other rule is a path relative to the root
 * ("dist/cache", ".env"), and a trailing "/" on it limits it to folders. Excluding a folder excludes
 * everything in it.
 * @example excludeMatcher(["node_modules/", ".env"])("src/node_modules", "node_modules", true) // true
 */
export function excludeMatcher(rules: readonly string[]): ExcludeMatcher {
  const names = new Set<string>();
  const paths = new Set<string>();
  const folderPaths = new Set<string>();
  for (const rule of rules) {
    const clean = rule.replace(/^(\.\/)+/, "");
    const folderOnly = clean.endsWith("/");
    const body = folderOnly ? clean.slice(0, -1) : clean;
    const parts = body.split("/");
    if (body === "" || rule.startsWith("/") || parts.some((p) => p === "" || p === "." || p === "..")) {
      throw new Error(
        `exclude rule "${rule}" is not a relative path inside the layer: ` +
          `use a path like "dist/cache" or a folder name like "node_modules/"`,
      );
    }
    if (folderOnly && parts.length === 1) names.add(body);
    else if (folderOnly) folderPaths.add(body);
    else paths.add(body);
  }
  if (names.size === 0 && paths.size === 0 && folderPaths.size === 0) return () => false;
  return (path, name, isDirectory) =>
    paths.has(path) || (isDirectory && (names.has(name) || folderPaths.has(path)));
}
