import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isDigest } from "../artifact/digest.ts";
import { LAYER_MEDIA_TYPE, type LayerDescriptor } from "../artifact/manifest.ts";
import type { ArtifactStore } from "../store/store.ts";

/**
 * The dependency-layer index: from a deps key (hash of lockfile, runtime, install command and platform) to
 * the layer it produced, kept in the cache folder beside the packed layer. A hit means the install is
 * skipped entirely; it counts only while the packed file is still there, or the store already has the blob.
 */
export async function readDepsCache(request: {
  cacheDir: string;
  key: string;
  store: ArtifactStore;
}): Promise<{ descriptor: LayerDescriptor; path: string } | undefined> {
  const { cacheDir, key, store } = request;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(recordPath(cacheDir, key), "utf8"));
  } catch {
    return undefined;
  }
  const descriptor = parseRecord(raw, key);
  if (!descriptor) return undefined;
  const path = layerPath(cacheDir, descriptor);
  const local = await stat(path).catch(() => undefined);
  if (local?.size === descriptor.size) return { descriptor, path };
  // No local copy (another machine filled the store, or the cache was cleaned): usable only if stored.
  return (await store.hasBlob(descriptor.digest)) ? { descriptor, path } : undefined;
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
