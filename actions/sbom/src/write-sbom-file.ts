import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { digestOf, type Digest } from "../../../core/artifact/digest.ts";
import type { ArtifactManifest } from "../../../core/artifact/manifest.ts";
import { appIdentity } from "../../../core/sbom/app-identity.ts";
import type { CycloneDxBom } from "../../../core/sbom/cyclonedx-types.ts";
import {
  generateSbom,
  LockfileError,
  serializeSbomJson,
  serializeSbomXml,
} from "../../../core/sbom/generate-sbom.ts";
import type { ArtifactStore } from "../../../core/store/store.ts";

export const SBOM_FORMATS = ["json", "xml"] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export interface WrittenSbom {
  path: string;
  digest: Digest;
  format: SbomFormat;
  bom: CycloneDxBom;
  /** "store": the exact SBOM the build stored with the artifact; "lockfiles": made now from `dir`. */
  source: "store" | "lockfiles";
}

/**
 * Writes the artifact's SBOM to `outDir`. The JSON SBOM without dev packages is the one the build already
 * stored and named in the manifest, so it is fetched (verified by digest) rather than made again; other
 * formats and `includeDev` are made from the lockfiles in `dir`. Undefined when the app has no lockfile.
 */
export async function writeSbomFile(request: {
  store: ArtifactStore;
  manifest: ArtifactManifest;
  dir: string;
  format: SbomFormat;
  includeDev: boolean;
  epoch: number;
  outDir: string;
}): Promise<WrittenSbom | undefined> {
  const path = join(request.outDir, `sbom.cdx.${request.format}`);
  const stored = request.manifest.sbom;
  if (stored && request.format === "json" && !request.includeDev) {
    await request.store.fetchBlob(stored.digest, path);
    // Parsing boundary: the blob's digest was verified against the manifest, which the build wrote.
    const bom = JSON.parse(await readFile(path, "utf8")) as CycloneDxBom;
    return { path, digest: stored.digest, format: "json", bom, source: "store" };
  }
  let bom: CycloneDxBom;
  try {
    bom = await generateSbom({
      dir: request.dir,
      app: await appIdentity(request.dir),
      epoch: request.epoch,
      includeDev: request.includeDev,
    });
  } catch (error) {
    if (error instanceof LockfileError && error.kind === "missing") return undefined;
    throw error;
  }
  const text = request.format === "json" ? serializeSbomJson(bom) : serializeSbomXml(bom);
  await writeFile(path, text);
  return { path, digest: digestOf(text), format: request.format, bom, source: "lockfiles" };
}
