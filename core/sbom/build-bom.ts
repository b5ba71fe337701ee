import { relative, sep } from "node:path";
import { crc32 } from "node:zlib";
import type { CdxComponent, CdxDependency, CycloneDxBom } from "./cyclonedx-types.ts";
import { mergePackage } from "./merge-package.ts";
import type { LockedPackage, ParsedLockfile } from "./sbom-model.ts";
import { licenseChoices } from "./spdx-licenses.ts";

export interface BuildBomOptions {
  /** With the CRC-32 of each one's bytes, which the serial number is derived from. */
  lockfiles: readonly (ParsedLockfile & { crc: number })[];
  /** The folder the lockfiles were found in; entry sources are recorded relative to it. */
  dir: string;
  app: { name: string; version: string };
  includeDev: boolean;
  /** Seconds since 1970 (SOURCE_DATE_EPOCH). */
  epoch: number;
  toolVersion: string;
  serialSeed?: string;
}

/** Merges the lockfiles into one CycloneDX 1.6 BOM: one component per purl, sorted, with its graph. */
export function buildBom(opts: BuildBomOptions): CycloneDxBom {
  const direct = new Set<string>();
  for (const lock of opts.lockfiles) for (const purl of lock.direct) direct.add(purl);
  const kept = uniquePackages(opts.lockfiles).filter((p) => opts.includeDev || p.scope !== "excluded");
  kept.sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  const present = new Set(kept.map((p) => p.purl));
  const paths = new Map<string, string>();
  const appRef = `app:${opts.app.name}@${opts.app.version}`;
  const dependencies: CdxDependency[] = [
    { ref: appRef, dependsOn: [...direct].filter((d) => present.has(d)).sort() },
    ...kept.map((p) => ({ ref: p.purl, dependsOn: p.dependsOn.filter((d) => present.has(d)).sort() })),
  ];
  const bom: CycloneDxBom = {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: "",
    version: 1,
    metadata: {
      timestamp: new Date(opts.epoch * 1000).toISOString().replace(/\.000Z$/, "Z"),
      tools: {
        components: [
          { type: "application", "bom-ref": "tool:aether", name: "aether", version: opts.toolVersion },
        ],
      },
      component: { type: "application", "bom-ref": appRef, name: opts.app.name, version: opts.app.version },
    },
    components: kept.map((p) => component(p, sourcePath(paths, opts.dir, p.source.file))),
    dependencies,
  };
  bom.serialNumber = serialFor(
    // Everything the content is a function of: the lockfiles' bytes and where they are, and the options.
    JSON.stringify([
      opts.lockfiles.map((lock) => [sourcePath(paths, opts.dir, lock.file), lock.crc]),
      opts.app,
      opts.includeDev,
      opts.epoch,
      opts.toolVersion,
    ]),
    opts.serialSeed ?? "",
  );
  return bom;
}

/**
 * One package per purl across the lockfiles, their dependencies joined. A single lockfile (the common case)
 * whose packages are already one per purl is taken as it is; merging copies, so the parsed lockfiles are
 * never changed.
 */
function uniquePackages(lockfiles: BuildBomOptions["lockfiles"]): LockedPackage[] {
  const only = lockfiles.length === 1 ? lockfiles[0]!.packages : undefined;
  if (only !== undefined && new Set(only.map((p) => p.purl)).size === only.length) return only;
  const unique = new Map<string, LockedPackage>();
  for (const lock of lockfiles) {
    for (const pkg of lock.packages) {
      const kept = mergePackage(unique, { ...pkg, dependsOn: [...pkg.dependsOn] });
      if (kept !== pkg)
        for (const d of pkg.dependsOn) if (!kept.dependsOn.includes(d)) kept.dependsOn.push(d);
    }
  }
  return [...unique.values()];
}

/** The lockfile's path relative to the project, with forward slashes, so the BOM is the same everywhere. */
function sourcePath(cache: Map<string, string>, dir: string, file: string): string {
  let path = cache.get(file);
  if (path === undefined) {
    path = relative(dir, file).split(sep).join("/");
    cache.set(file, path);
  }
  return path;
}

function component(pkg: LockedPackage, where: string): CdxComponent {
  const out: CdxComponent = { type: "library", "bom-ref": pkg.purl, name: pkg.name };
  if (pkg.ecosystem === "npm" && pkg.name.startsWith("@")) {
    const slash = pkg.name.indexOf("/");
    out.group = pkg.name.slice(0, slash);
    out.name = pkg.name.slice(slash + 1);
  }
  if (pkg.version !== "") out.version = pkg.version;
  out.scope = pkg.scope;
  if (pkg.hashes.length > 0) out.hashes = pkg.hashes;
  const licenses = licenseChoices(pkg.licenses);
  if (licenses.length > 0) out.licenses = licenses;
  out.purl = pkg.purl;
  if (pkg.vcsUrl !== undefined) out.externalReferences = [{ type: "vcs", url: pkg.vcsUrl }];
  out.properties = [
    ...(pkg.properties ?? []),
    { name: "aether:lockfile", value: pkg.source.line > 0 ? `${where}:${pkg.source.line}` : where },
  ];
  return out;
}

/**
 * A UUID (version 5 layout, so the schema's pattern accepts it) derived from what the BOM's content is made
 * of. A serial only has to differ when the content does, so CRC-32s over differently prefixed input give
 * its 128 bits: loading node:crypto for a SHA, or serializing the whole BOM a second time to hash it,
 * would cost the CLI more than the whole rest of the work on a small lockfile.
 */
function serialFor(content: string, seed: string): string {
  const hex = [0, 1, 2, 3]
    .map((i) =>
      crc32(content, crc32(`${i}\0${seed}\0`))
        .toString(16)
        .padStart(8, "0"),
    )
    .join("");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
