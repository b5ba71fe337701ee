import { shortDigest } from "../../../core/artifact/digest.ts";
import type { BuiltArtifact } from "../../../core/pipeline/build-artifact.ts";
import { formatBytes, formatDuration } from "../../../core/pipeline/format.ts";

/**
 * The job summary of a build, as Markdown: outcome, artifact, layers with sizes and reuse, the latency of
 * each phase. What a person wants to read instead of scrolling the log.
 */
export function buildSummary(request: {
  built: BuiltArtifact;
  storeUrl: string;
  manifestUrl: string;
  /** The app's folder in the repository, shown for a monorepo's apps. */
  appPath?: string;
}): string {
  const { built, storeUrl, manifestUrl } = request;
  const sent = built.bytesUploaded + built.bytesReused;
  const reused = sent === 0 ? 0 : Math.round((built.bytesReused / sent) * 100);
  const layerRows = built.layers.map(
    (l) =>
      `| ${l.role} | \`${shortDigest(l.digest)}\` | ${formatBytes(l.size)} | ${l.entries} | ${
        l.cached ? "reused (lockfile unchanged)" : "built"
      } | ${l.uploaded ? "uploaded" : "already stored"} |`,
  );
  const t = built.timings;
  return [
    `## ✅ Aether build: \`${shortDigest(built.digest)}\``,
    "",
    "| | |",
    "| --- | --- |",
    ...(request.appPath !== undefined && request.appPath !== "." ? [`| App | \`${request.appPath}\` |`] : []),
    `| Artifact | \`${built.digest}\` |`,
    `| Runtime | ${built.detection.summary} |`,
    `| Store | ${storeUrl} |`,
    `| Manifest | \`${manifestUrl}\` |`,
    `| Uploaded | ${formatBytes(built.bytesUploaded)} · reused ${formatBytes(built.bytesReused)} (${reused}%) |`,
    built.manifest.sbom
      ? `| SBOM | CycloneDX 1.6 · ${built.manifest.sbom.components} components · \`${shortDigest(built.manifest.sbom.digest)}\` |`
      : "| SBOM | none (no lockfile) |",
    "",
    "### Layers",
    "",
    "| layer | digest | size | entries | source | store |",
    "| --- | --- | --- | --- | --- | --- |",
    ...layerRows,
    "",
    "### Latency",
    "",
    "| detect | build | pack | upload | total |",
    "| --- | --- | --- | --- | --- |",
    `| ${formatDuration(t.detect)} | ${formatDuration(t.build)} | ${formatDuration(t.pack)} | ${formatDuration(
      t.upload,
    )} | ${formatDuration(t.detect + t.build + t.pack + t.upload)} |`,
    "",
  ].join("\n");
}
