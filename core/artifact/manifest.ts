import type { Digest } from "./digest.ts";

/** The runtimes Aether knows how to build and start. */
export const RUNTIME_NAMES = ["node", "python", "go", "java", "static"] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/**
 * What a layer holds. `deps` is keyed by the lockfile so it is reused while the lockfile is unchanged;
 * `app` is the application code (or what the build made of it).
 */
export const LAYER_ROLES = ["deps", "app"] as const;
export type LayerRole = (typeof LAYER_ROLES)[number];

export const LAYER_MEDIA_TYPE = "application/vnd.aether.layer.v1.tar+gzip";
export const SBOM_MEDIA_TYPE = "application/vnd.cyclonedx+json";
export const MANIFEST_MEDIA_TYPE = "application/vnd.aether.manifest.v1+json";
export const MANIFEST_SCHEMA_VERSION = 1;

export interface LayerDescriptor {
  role: LayerRole;
  mediaType: typeof LAYER_MEDIA_TYPE;
  /** sha256 of the compressed blob as stored. */
  digest: Digest;
  /** Compressed size in bytes. */
  size: number;
  /** Number of entries (files, folders, links) in the tar. */
  entries: number;
  /** For `deps`: the cache key (hash of lockfile, runtime and build command) that produced it. */
  key?: string;
}

/**
 * The artifact: everything needed to run one build, by digest. Its canonical JSON's sha256 is the
 * artifact digest. It holds no commit, time or machine detail, so the same source gives the same digest;
 * where it came from is recorded beside it (the store's ref index, provenance).
 */
export interface ArtifactManifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  mediaType: typeof MANIFEST_MEDIA_TYPE;
  runtime: { name: RuntimeName; version?: string };
  /** argv, run from the release folder; the app reads its port from `PORT`. */
  start: string[];
  /** The port the app listens on when `PORT` is not given (documentation for the target). */
  port: number;
  /** HTTP path that answers 200 when the app is ready. */
  healthPath: string;
  /** Non-secret environment the runtime needs (PYTHONPATH, CLASSPATH …), relative to the release folder. */
  env: Record<string, string>;
  layers: LayerDescriptor[];
  /** The CycloneDX SBOM made from the app's lockfiles, stored as a blob; absent when there is no lockfile. */
  sbom?: { mediaType: typeof SBOM_MEDIA_TYPE; digest: Digest; size: number; components: number };
}
