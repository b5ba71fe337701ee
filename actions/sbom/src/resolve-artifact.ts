import { parseDigest, type Digest } from "../../../core/artifact/digest.ts";

/** A problem with the inputs naming the artifact, said in the words of the workflow file. */
export class ArtifactInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArtifactInputError";
  }
}

const MANIFEST_KEY = /^(.*)\/blobs\/sha256\/([0-9a-f]{64})$/;

/**
 * Which artifact, in which store: from `digest` and `store`, or from `manifest` (the build action's output,
 * `<store url>/blobs/sha256/<hex>`), which names both. When both are given they must agree.
 * @example resolveArtifact({ digest: "", manifest: "s3://b/p/blobs/sha256/ab…", store: "" })
 */
export function resolveArtifact(inputs: { digest: string; manifest: string; store: string }): {
  digest: Digest;
  store: string;
} {
  const { manifest } = inputs;
  let fromManifest: { digest: Digest; store: string } | undefined;
  if (manifest !== "") {
    const match = MANIFEST_KEY.exec(manifest);
    if (!match?.[1] || !match[2]) {
      throw new ArtifactInputError(
        `input manifest: "${manifest}" is not a manifest location; expected <store url>/blobs/sha256/<64 hex>, ` +
          `the build action's manifest output`,
      );
    }
    fromManifest = { store: match[1], digest: `sha256:${match[2]}` };
  }
  const digest = inputs.digest === "" ? undefined : parseDigest(inputs.digest, "input digest");
  if (fromManifest && digest && digest !== fromManifest.digest) {
    throw new ArtifactInputError(
      `input digest ${digest} and input manifest ${manifest} name different artifacts; give one of them`,
    );
  }
  const resolved = digest ?? fromManifest?.digest;
  if (resolved === undefined) {
    throw new ArtifactInputError(
      "Input required and not supplied: digest or manifest (pass the build action's outputs, " +
        "e.g. digest: ${{ steps.build.outputs.digest }})",
    );
  }
  const store = inputs.store !== "" ? inputs.store : fromManifest?.store;
  if (store === undefined) {
    throw new ArtifactInputError(
      "Input required and not supplied: store (the store URL given to the build action), or give manifest instead of digest",
    );
  }
  return { digest: resolved, store };
}
