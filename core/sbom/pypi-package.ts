import { pypiPurl } from "./package-url.ts";
import type { EntrySource, LockedPackage, PackageHash, PackageScope } from "./sbom-model.ts";

/**
 * One Python package in the common model, as uv.lock, poetry.lock and requirements.txt all record it: the
 * purl from the normalised name, and for a git source the vcs_url qualifier and external reference.
 */
export function pypiPackage(entry: {
  name: string;
  version: string;
  hashes: PackageHash[];
  scope: PackageScope;
  source: EntrySource;
  git?: string | undefined;
}): LockedPackage {
  const { name, version, git } = entry;
  const pkg: LockedPackage = {
    ecosystem: "pypi",
    name,
    version,
    purl: pypiPurl(name, version, git !== undefined ? { vcs_url: git } : undefined),
    hashes: entry.hashes,
    licenses: [],
    scope: entry.scope,
    dependsOn: [],
    source: entry.source,
  };
  if (git !== undefined) pkg.vcsUrl = git;
  return pkg;
}
