import { canonicalJson } from "./canonical-json.ts";
import { digestOf, isDigest, type Digest } from "./digest.ts";
import {
  LAYER_MEDIA_TYPE,
  LAYER_ROLES,
  MANIFEST_MEDIA_TYPE,
  MANIFEST_SCHEMA_VERSION,
  RUNTIME_NAMES,
  SBOM_MEDIA_TYPE,
  type ArtifactManifest,
  type LayerDescriptor,
  type LayerRole,
  type RuntimeName,
} from "./manifest.ts";

/** The exact bytes whose sha256 is the artifact digest. */
export function encodeManifest(manifest: ArtifactManifest): Buffer {
  return Buffer.from(canonicalJson(manifest), "utf8");
}

/** The artifact digest of a manifest. */
export function manifestDigest(manifest: ArtifactManifest): Digest {
  return digestOf(encodeManifest(manifest));
}

/**
 * Parses manifest bytes that came from a store or a file; `where` names the source in errors.
 * Past this point the manifest's types are trusted.
 */
export function decodeManifest(bytes: Uint8Array | string, where: string): ArtifactManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new Error(`${where}: manifest is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const fail = (path: string, what: string): never => {
    throw new Error(`${where}: manifest field ${path} ${what}`);
  };
  const obj = record(raw) ?? fail("(root)", "must be an object");
  if (obj["schemaVersion"] !== MANIFEST_SCHEMA_VERSION) {
    fail(
      "schemaVersion",
      `is ${JSON.stringify(obj["schemaVersion"])}; this Aether reads ${MANIFEST_SCHEMA_VERSION}`,
    );
  }
  if (obj["mediaType"] !== MANIFEST_MEDIA_TYPE) fail("mediaType", `must be ${MANIFEST_MEDIA_TYPE}`);
  const runtime = record(obj["runtime"]) ?? fail("runtime", "must be an object");
  const name = runtime["name"];
  if (typeof name !== "string" || !(RUNTIME_NAMES as readonly string[]).includes(name)) {
    fail("runtime.name", `must be one of ${RUNTIME_NAMES.join(", ")}`);
  }
  const version = runtime["version"];
  if (version !== undefined && typeof version !== "string") fail("runtime.version", "must be a string");
  const start = obj["start"];
  if (!Array.isArray(start) || start.length === 0 || !start.every((s) => typeof s === "string")) {
    fail("start", "must be a non-empty array of strings");
  }
  const port = obj["port"];
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    fail("port", "must be an integer from 1 to 65535");
  }
  const healthPath = obj["healthPath"];
  if (typeof healthPath !== "string" || !healthPath.startsWith("/")) fail("healthPath", "must start with /");
  const env = record(obj["env"]) ?? fail("env", "must be an object");
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== "string") fail(`env.${key}`, "must be a string");
  }
  const layers = obj["layers"];
  if (!Array.isArray(layers) || layers.length === 0) fail("layers", "must be a non-empty array");
  const parsedLayers = (layers as unknown[]).map((layer, i) => decodeLayer(layer, `layers[${i}]`, fail));
  const sbom = obj["sbom"] === undefined ? undefined : decodeSbom(obj["sbom"], fail);
  const manifest: ArtifactManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    mediaType: MANIFEST_MEDIA_TYPE,
    runtime:
      typeof version === "string" ? { name: name as RuntimeName, version } : { name: name as RuntimeName },
    start: start as string[],
    port: port as number,
    healthPath: healthPath as string,
    env: env as Record<string, string>,
    layers: parsedLayers,
    ...(sbom ? { sbom } : {}),
  };
  return manifest;
}

function decodeLayer(
  raw: unknown,
  path: string,
  fail: (path: string, what: string) => never,
): LayerDescriptor {
  const layer = record(raw) ?? fail(path, "must be an object");
  const role = layer["role"];
  if (typeof role !== "string" || !(LAYER_ROLES as readonly string[]).includes(role)) {
    fail(`${path}.role`, `must be one of ${LAYER_ROLES.join(", ")}`);
  }
  if (layer["mediaType"] !== LAYER_MEDIA_TYPE) fail(`${path}.mediaType`, `must be ${LAYER_MEDIA_TYPE}`);
  const digest = layer["digest"];
  if (typeof digest !== "string" || !isDigest(digest)) fail(`${path}.digest`, "must be a sha256 digest");
  const size = layer["size"];
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)
    fail(`${path}.size`, "must be a byte count");
  const entries = layer["entries"];
  if (typeof entries !== "number" || !Number.isSafeInteger(entries) || entries < 0) {
    fail(`${path}.entries`, "must be a count");
  }
  const key = layer["key"];
  if (key !== undefined && typeof key !== "string") fail(`${path}.key`, "must be a string");
  const out: LayerDescriptor = {
    role: role as LayerRole,
    mediaType: LAYER_MEDIA_TYPE,
    digest: digest as Digest,
    size: size as number,
    entries: entries as number,
  };
  if (typeof key === "string") out.key = key;
  return out;
}

function decodeSbom(
  raw: unknown,
  fail: (path: string, what: string) => never,
): NonNullable<ArtifactManifest["sbom"]> {
  const sbom = record(raw) ?? fail("sbom", "must be an object");
  if (sbom["mediaType"] !== SBOM_MEDIA_TYPE) fail("sbom.mediaType", `must be ${SBOM_MEDIA_TYPE}`);
  const digest = sbom["digest"];
  if (typeof digest !== "string" || !isDigest(digest)) fail("sbom.digest", "must be a sha256 digest");
  const { size, components } = sbom;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)
    fail("sbom.size", "must be a byte count");
  if (typeof components !== "number" || !Number.isSafeInteger(components) || components < 0) {
    fail("sbom.components", "must be a count");
  }
  return {
    mediaType: SBOM_MEDIA_TYPE,
    digest: digest as Digest,
    size: size as number,
    components: components as number,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
