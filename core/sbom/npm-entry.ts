import { integrityHashes } from "./integrity-hashes.ts";
import { npmPurl } from "./package-url.ts";
import type { LockedPackage, PackageScope } from "./sbom-model.ts";

/** The fields of a package-lock entry we read (v1 `dependencies` and v2/v3 `packages` alike). */
export interface NpmLockEntry {
  name?: unknown;
  version?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  license?: unknown;
  dev?: unknown;
  optional?: unknown;
  devOptional?: unknown;
  inBundle?: unknown;
  bundled?: unknown;
  link?: unknown;
}

/** Narrows a parsed JSON value to a plain object (the lockfile's trust boundary). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function npmScope(entry: NpmLockEntry): PackageScope {
  if (entry.dev === true) return "excluded";
  if (entry.optional === true || entry.devOptional === true) return "optional";
  return "required";
}

/** Qualifiers cyclonedx-npm adds for packages that do not come from a registry. */
export function npmQualifiers(resolved: unknown): Record<string, string> | undefined {
  if (typeof resolved !== "string") return undefined;
  if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(resolved)) return { vcs_url: resolved };
  if (resolved.startsWith("file:")) return { download_url: resolved };
  return undefined;
}

/** Builds the model package for one entry whose name and version are already known. */
export function npmPackage(opts: {
  name: string;
  version: string;
  entry: NpmLockEntry;
  scopeFrom: NpmLockEntry;
  file: string;
  line: number;
}): LockedPackage {
  const { entry } = opts;
  const qualifiers = npmQualifiers(entry.resolved);
  const pkg: LockedPackage = {
    ecosystem: "npm",
    name: opts.name,
    version: opts.version,
    purl: npmPurl(opts.name, opts.version, qualifiers),
    hashes: integrityHashes(typeof entry.integrity === "string" ? entry.integrity : undefined),
    licenses: typeof entry.license === "string" ? [entry.license] : [],
    scope: npmScope(opts.scopeFrom),
    dependsOn: [],
    source: { file: opts.file, line: opts.line },
  };
  if (qualifiers?.vcs_url !== undefined) pkg.vcsUrl = qualifiers.vcs_url;
  if (entry.inBundle === true || entry.bundled === true) {
    pkg.properties = [{ name: "cdx:npm:package:bundled", value: "true" }];
  }
  return pkg;
}

/** The dependency names an entry declares, in every dependency field npm installs. */
export function declaredDependencies(entry: Record<string, unknown>, fields: readonly string[]): string[] {
  const names: string[] = [];
  for (const field of fields) {
    const deps = asRecord(entry[field]);
    if (deps) for (const name of Object.keys(deps)) names.push(name);
  }
  return names;
}
