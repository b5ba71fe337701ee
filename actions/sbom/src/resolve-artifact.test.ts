import { describe, expect, it } from "vitest";
import { resolveArtifact } from "./resolve-artifact.ts";

const HEX = "ab".repeat(32);

describe("resolveArtifact", () => {
  it("takes the store and digest from the build action's manifest output", () => {
    expect(
      resolveArtifact({ digest: "", manifest: `s3://bucket/aether/blobs/sha256/${HEX}`, store: "" }),
    ).toEqual({
      digest: `sha256:${HEX}`,
      store: "s3://bucket/aether",
    });
    expect(resolveArtifact({ digest: `sha256:${HEX}`, manifest: "", store: "file:///s" })).toEqual({
      digest: `sha256:${HEX}`,
      store: "file:///s",
    });
  });

  it("says which input is missing or wrong", () => {
    expect(() => resolveArtifact({ digest: "", manifest: "", store: "" })).toThrow(
      /Input required and not supplied: digest or manifest/,
    );
    expect(() => resolveArtifact({ digest: `sha256:${HEX}`, manifest: "", store: "" })).toThrow(
      /Input required and not supplied: store/,
    );
    expect(() => resolveArtifact({ digest: "", manifest: "s3://bucket/x.json", store: "" })).toThrow(
      /input manifest: "s3:\/\/bucket\/x.json" is not a manifest location/,
    );
    expect(() =>
      resolveArtifact({
        digest: `sha256:${"cd".repeat(32)}`,
        manifest: `file:///s/blobs/sha256/${HEX}`,
        store: "",
      }),
    ).toThrow(/name different artifacts/);
  });
});
