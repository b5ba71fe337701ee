/** The ecosystems whose lockfiles Aether reads; each maps to one package-URL type. */
export type Ecosystem = "npm" | "pypi" | "golang";

/** The lockfile formats Aether reads. */
export type LockfileKind =
  "npm" | "pnpm" | "yarn-classic" | "yarn-berry" | "uv" | "poetry" | "requirements" | "go";

/** CycloneDX scope: `excluded` marks development-only packages. */
export type PackageScope = "required" | "optional" | "excluded";

/** The algorithms lockfiles record, spelled as CycloneDX spells them. */
export type HashAlgorithm = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

export interface PackageHash {
  alg: HashAlgorithm;
  /** Lowercase hex. */
  content: string;
}

/** Where an entry came from, for error messages and for the SBOM's evidence property. */
export interface EntrySource {
  file: string;
  /** 1-based; 0 when the format gives no position (minified JSON). */
  line: number;
}

/** One package as a lockfile records it, in the same shape whatever the format. */
export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  /** Package URL; also the package's identity (bom-ref) in the SBOM. */
  purl: string;
  hashes: PackageHash[];
  /** SPDX ids, expressions or free-text names, as recorded. */
  licenses: string[];
  scope: PackageScope;
  /** purls of the packages this one depends on. */
  dependsOn: string[];
  source: EntrySource;
  /** Set for git dependencies (CycloneDX externalReferences type vcs). */
  vcsUrl?: string;
  /** Extra facts worth keeping (CycloneDX properties), e.g. Go's h1 checksum. */
  properties?: Array<{ name: string; value: string }>;
}

/** What one lockfile says: its packages and which of them the project depends on directly. */
export interface ParsedLockfile {
  file: string;
  kind: LockfileKind;
  packages: LockedPackage[];
  /** purls of direct dependencies of the project (or of its workspaces). */
  direct: string[];
}
