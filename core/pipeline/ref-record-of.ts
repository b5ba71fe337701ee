import type { RefRecord } from "../store/store.ts";
import type { BuiltArtifact } from "./build-artifact.ts";

/**
 * The store's index entry for a finished build: the artifact, the app's folder in the repository, who built
 * it when, and the figures the deploy's latency table shows (the build ran elsewhere, so they travel with it).
 * @example await store.putRef({ repository, commit, path }, refRecordOf(built, { path, builder: "ci", builtAt: new Date() }))
 */
export function refRecordOf(
  built: Pick<BuiltArtifact, "digest" | "timings" | "bytesUploaded" | "bytesReused">,
  source: { path: string; builder: string; builtAt: Date },
): RefRecord {
  const { detect, build, pack, upload } = built.timings;
  return {
    digest: built.digest,
    path: source.path,
    builtAt: source.builtAt.toISOString(),
    builder: source.builder,
    timings: { buildMs: Math.round(detect + build + pack), uploadMs: Math.round(upload) },
    bytes: { uploaded: built.bytesUploaded, reused: built.bytesReused },
  };
}
