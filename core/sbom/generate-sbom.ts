import { buildBom } from "./build-bom.ts";
import type { CycloneDxBom } from "./cyclonedx-types.ts";
import { detectLockfiles } from "./detect-lockfiles.ts";
import { LockfileError } from "./lockfile-error.ts";
import { readLockfile } from "./read-lockfile.ts";

export type { CdxComponent, CdxDependency, CycloneDxBom } from "./cyclonedx-types.ts";
export { detectLockfiles, type FoundLockfile } from "./detect-lockfiles.ts";
export { LockfileError, type LockfileErrorKind } from "./lockfile-error.ts";
export { readLockfile } from "./read-lockfile.ts";
export type { LockedPackage, LockfileKind, PackageScope, ParsedLockfile } from "./sbom-model.ts";
export { serializeSbomJson } from "./serialize-sbom-json.ts";
export { serializeSbomXml } from "./serialize-sbom-xml.ts";

export interface GenerateSbomOptions {
  /** The project folder; every lockfile below it (outside node_modules, .git …) is read. */
  dir: string;
  app: { name: string; version: string };
  /** Keep development-only packages (with scope `excluded`); they are left out otherwise. */
  includeDev?: boolean;
  /** SOURCE_DATE_EPOCH seconds: the BOM's timestamp, so a rebuild gives the same bytes. */
  epoch: number;
  /** Mixed into the serial number, for callers that want distinct serials for equal content. */
  serialSeed?: string;
  /** Written in metadata.tools; defaults to the Aether version this module ships with. */
  toolVersion?: string;
}

/**
 * A CycloneDX 1.6 SBOM for the project in `dir`, built from its lockfiles without running any package
 * manager. Several lockfiles (a monorepo) give one BOM with one component per package URL.
 * Throws LockfileError when there is no lockfile, or one cannot be read.
 * @example serializeSbomJson(await generateSbom({ dir: ".", app: { name: "web", version: "1.0.0" }, epoch: 315532800 }))
 */
export async function generateSbom(opts: GenerateSbomOptions): Promise<CycloneDxBom> {
  const found = await detectLockfiles(opts.dir);
  if (found.length === 0) {
    throw new LockfileError({
      kind: "missing",
      file: opts.dir,
      why:
        "no lockfile found (package-lock.json, pnpm-lock.yaml, yarn.lock, uv.lock, poetry.lock, requirements.txt, go.mod); " +
        "commit your lockfile so the SBOM can list exact versions",
    });
  }
  const lockfiles = await Promise.all(found.map(readLockfile));
  return buildBom({
    lockfiles,
    dir: opts.dir,
    app: opts.app,
    includeDev: opts.includeDev ?? false,
    epoch: opts.epoch,
    toolVersion: opts.toolVersion ?? "0.1.0",
    ...(opts.serialSeed !== undefined ? { serialSeed: opts.serialSeed } : {}),
  });
}
