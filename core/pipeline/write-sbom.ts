import { randomUUID } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { appIdentity } from "../sbom/app-identity.ts";
import { generateSbom, LockfileError, serializeSbomJson } from "../sbom/generate-sbom.ts";

/**
 * The build's SBOM: CycloneDX JSON from the app's lockfiles, written content-addressed beside the packed
 * layers so it is uploaded with them and named in the manifest. No lockfile (a static site, a Go module
 * without dependencies): no SBOM. A lockfile that cannot be read fails the build with its file and line.
 */
export async function writeSbom(request: {
  dir: string;
  epoch: number;
  outDir: string;
}): Promise<{ path: string; digest: Digest; size: number; components: number } | undefined> {
  let text: string;
  let components: number;
  try {
    const bom = await generateSbom({
      dir: request.dir,
      app: await appIdentity(request.dir),
      epoch: request.epoch,
    });
    text = serializeSbomJson(bom);
    components = bom.components.length;
  } catch (error) {
    if (error instanceof LockfileError && error.kind === "missing") return undefined;
    throw error;
  }
  const digest = digestOf(text);
  const path = join(request.outDir, `${digest.slice("sha256:".length)}.cdx.json`);
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
  return { path, digest, size: Buffer.byteLength(text), components };
}
