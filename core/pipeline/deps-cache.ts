import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isDigest } from "../artifact/digest.ts";
import { LAYER_MEDIA_TYPE, type LayerDescriptor } from "../artifact/manifest.ts";
import type { ArtifactStore } from "../store/store.ts";

/**
 * The dependency-layer index: from a deps key (hash of lockfile, runtime, install command and platform) to
 * the layer it produced. Kept in two places: the cache folder beside the packed layer (this machine), and
 * the store (any machine: a fresh CI runner reuses what an earlier run uploaded). A hit means the install
 * is skipped entirely; it counts only while the packed file is here or the store still has the blob.
 */
export async function readDepsCache(request: {
  cacheDir: string;
  key: string;
  store: ArtifactStore;
}): Promise<{ descriptor: LayerDescriptor; path: string } | undefined> {
  const { cacheDir, key, store } = request;
  const local = await readLocalRecord(cacheDir, key);
  if (local) {
    const path = layerPath(cacheDir, local);
    const file = await stat(path).catch(() => undefined);
    if (file?.size === local.size || (await store.hasBlob(local.digest))) return { descriptor: local, path };
  }
  const shared = await store.getDepsLayer(key);
  if (shared && (await store.hasBlob(shared.digest))) {
    // No local file: the upload step finds the blob in the store and sends nothing.
    return { descriptor: shared, path: layerPath(cacheDir, shared) };
  }
  return undefined;
}

export async function writeDepsCache(request: {
  cacheDir: string;
  key: string;
  descriptor: LayerDescriptor;
}): Promise<void> {
  const file = recordPath(request.cacheDir, request.key);
  await mkdir(join(request.cacheDir, "deps"), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(request.descriptor, null, 2));
  await rename(temp, file);
}

async function readLocalRecord(cacheDir: string, key: string): Promise<LayerDescriptor | undefined> {
  try {
    return parseRecord(JSON.parse(await readFile(recordPath(cacheDir, key), "utf8")), key);
  } catch {
    return undefined;
  }
}

/** Where packLayer put a layer: `<cacheDir>/layers/<hex>.tar.gz`. */
export function layerPath(cacheDir: string, descriptor: LayerDescriptor): string {
  return join(cacheDir, "layers", `${descriptor.digest.slice("sha256:".length)}.tar.gz`);
}

function recordPath(cacheDir: string, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`deps cache: key "${key}" is not a sha256 hex string`);
  return join(cacheDir, "deps", `${key}.json`);
}

function parseRecord(raw: unknown, key: string): LayerDescriptor | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  const { digest, size, entries } = r;
  if (typeof digest !== "string" || !isDigest(digest)) return undefined;
  if (typeof size !== "number" || typeof entries !== "number") return undefined;
  return { role: "deps", mediaType: LAYER_MEDIA_TYPE, digest, size, entries, key };
}
