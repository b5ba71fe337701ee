import { randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Digest } from "../artifact/digest.ts";
import { extractLayer } from "../artifact/extract-layer.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import type { ArtifactStore } from "../store/store.ts";

/**
 * Makes the release folder for an artifact: every layer fetched from the store, verified against its digest
 * while it streams, and unpacked. The folder appears whole (one rename) or not at all, so a corrupt blob or a
 * crash leaves the previous release untouched; an existing folder for the same digest is reused.
 */
export async function materializeRelease(request: {
  store: ArtifactStore;
  digest: Digest;
  manifest: ArtifactManifest;
  releaseDir: string;
}): Promise<{ reused: boolean; layers: number }> {
  const { store, manifest, releaseDir } = request;
  if (await exists(releaseDir)) return { reused: true, layers: manifest.layers.length };
  const parent = dirname(releaseDir);
  await mkdir(parent, { recursive: true });
  const work = join(parent, `.tmp-${randomUUID()}`);
  const root = join(work, "root");
  await mkdir(root, { recursive: true });
  try {
    for (const [index, layer] of manifest.layers.entries()) {
      const layerDir = join(work, `layer-${index}`);
      const source = await store.openBlob(layer.digest);
      await extractLayer({ source, destination: layerDir, expectedDigest: layer.digest });
      for (const name of await readdir(layerDir)) {
        if (await exists(join(root, name))) {
          throw new Error(
            `artifact ${request.digest}: layers ${index} (${layer.role}) and an earlier one both contain "${name}"`,
          );
        }
        await rename(join(layerDir, name), join(root, name));
      }
    }
    await rename(root, releaseDir);
    return { reused: false, layers: manifest.layers.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
