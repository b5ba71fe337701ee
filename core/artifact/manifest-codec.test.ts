import { describe, expect, it } from "vitest";
import { digestOf } from "./digest.ts";
import { LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE, type ArtifactManifest } from "./manifest.ts";
import { decodeManifest, encodeManifest, manifestDigest } from "./manifest-codec.ts";

const manifest: ArtifactManifest = {
  schemaVersion: 1,
  mediaType: MANIFEST_MEDIA_TYPE,
  runtime: { name: "node", version: "24" },
  start: ["node", "server.js"],
  port: 3000,
  healthPath: "/health",
  env: { NODE_ENV: "production" },
  layers: [
    { role: "deps", mediaType: LAYER_MEDIA_TYPE, digest: digestOf("deps"), size: 10, entries: 3, key: "k" },
    { role: "app", mediaType: LAYER_MEDIA_TYPE, digest: digestOf("app"), size: 5, entries: 2 },
  ],
};

function withField(field: string, value: unknown): string {
  return JSON.stringify({ ...manifest, [field]: value });
}

describe("manifest codec", () => {
  it("round-trips and digests the canonical bytes", () => {
    const bytes = encodeManifest(manifest);
    expect(decodeManifest(bytes, "test")).toEqual(manifest);
    expect(manifestDigest(manifest)).toBe(digestOf(bytes));
    expect(bytes.toString()).toMatch(/^\{"env":/);
  });

  it("gives the same digest whatever the key order of the source object", () => {
    const reordered = Object.fromEntries(Object.entries(manifest).reverse());
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(manifest));
    expect(manifestDigest(decodeManifest(JSON.stringify(reordered), "test"))).toBe(manifestDigest(manifest));
  });

  it("round-trips a manifest that names its SBOM", () => {
    const withSbom = {
      ...manifest,
      sbom: {
        mediaType: "application/vnd.cyclonedx+json" as const,
        digest: manifest.layers[0]!.digest,
        size: 812,
        components: 3,
      },
    };
    expect(decodeManifest(encodeManifest(withSbom), "test")).toEqual(withSbom);
    expect(manifestDigest(withSbom)).not.toBe(manifestDigest(manifest));
  });

  it("omits a missing runtime version and layer key", () => {
    const bare = { ...manifest, runtime: { name: "static" }, layers: [{ ...manifest.layers[1] }] };
    const decoded = decodeManifest(JSON.stringify(bare), "test");
    expect(decoded.runtime).toEqual({ name: "static" });
    expect("key" in decoded.layers[0]!).toBe(false);
  });

  it.each([
    ["not JSON", "{", /test: manifest is not valid JSON/],
    ["not an object", "[]", /field \(root\) must be an object/],
    ["another schema", withField("schemaVersion", 2), /schemaVersion is 2; this Aether reads 1/],
    ["a wrong media type", withField("mediaType", "x"), /field mediaType must be/],
    ["an unknown runtime", withField("runtime", { name: "cobol" }), /runtime.name must be one of/],
    [
      "a numeric version",
      withField("runtime", { name: "node", version: 24 }),
      /runtime.version must be a string/,
    ],
    ["an empty start", withField("start", []), /start must be a non-empty array/],
    ["a bad port", withField("port", 70000), /port must be an integer from 1 to 65535/],
    ["a relative health path", withField("healthPath", "health"), /healthPath must start with \//],
    ["a non-string env", withField("env", { A: 1 }), /env.A must be a string/],
    ["no layers", withField("layers", []), /layers must be a non-empty array/],
    [
      "a bad role",
      withField("layers", [{ ...manifest.layers[0], role: "x" }]),
      /layers\[0\].role must be one of/,
    ],
    [
      "a bad layer digest",
      withField("layers", [{ ...manifest.layers[0], digest: "md5:1" }]),
      /layers\[0\].digest/,
    ],
    [
      "a negative size",
      withField("layers", [{ ...manifest.layers[0], size: -1 }]),
      /layers\[0\].size must be a byte count/,
    ],
    [
      "a bad key",
      withField("layers", [{ ...manifest.layers[0], key: 1 }]),
      /layers\[0\].key must be a string/,
    ],
    ["an SBOM that is not an object", withField("sbom", "x"), /sbom must be an object/],
    [
      "an SBOM of another media type",
      withField("sbom", {
        mediaType: "text/plain",
        digest: manifest.layers[0]?.digest,
        size: 1,
        components: 1,
      }),
      /sbom.mediaType must be application\/vnd.cyclonedx\+json/,
    ],
    [
      "an SBOM without a count",
      withField("sbom", {
        mediaType: "application/vnd.cyclonedx+json",
        digest: manifest.layers[0]?.digest,
        size: 1,
      }),
      /sbom.components must be a count/,
    ],
  ])("refuses %s", (_name, text, message) => {
    expect(() => decodeManifest(text, "test")).toThrow(message);
  });
});
