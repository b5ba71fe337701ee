import { shortDigest, type Digest } from "../../../core/artifact/digest.ts";
import type { CycloneDxBom } from "../../../core/sbom/cyclonedx-types.ts";
import type { SignedProvenance } from "./sign-provenance.ts";
import type { WrittenSbom } from "./write-sbom-file.ts";

const SIGNERS = { sigstore: "Sigstore (keyless)", ed25519: "Ed25519 key", none: "unsigned" } as const;

/** The job summary of the sbom action: the artifact, the SBOM, the provenance and its status, top dependencies. */
export function sbomSummary(request: {
  artifact: Digest;
  sbom: WrittenSbom | undefined;
  provenance: SignedProvenance;
}): string {
  const { sbom, provenance } = request;
  const ok = provenance.verified;
  const status = ok ? "✔ verified" : provenance.signer === "none" ? "⚠ unsigned" : "✖ not verified";
  const rows = [
    `| Artifact | \`${request.artifact}\` |`,
    sbom
      ? `| SBOM | CycloneDX 1.6 ${sbom.format.toUpperCase()} · ${sbom.bom.components.length} components · \`${shortDigest(sbom.digest)}\` (${
          sbom.source === "store" ? "as stored by the build" : "from the lockfiles"
        }) |`
      : "| SBOM | none (no lockfile) |",
    `| Provenance | SLSA v1 · ${SIGNERS[provenance.signer]} · ${status} · \`${shortDigest(provenance.digest)}\` |`,
    ...(provenance.identity ? [`| Signed by | \`${provenance.identity}\` |`] : []),
    ...(provenance.logIndex ? [`| Transparency log | entry ${provenance.logIndex} |`] : []),
    ...(provenance.problem ? [`| Note | ${provenance.problem} |`] : []),
  ];
  return [
    `## ${ok ? "✅" : "⚠️"} Aether SBOM and provenance: \`${shortDigest(request.artifact)}\``,
    "",
    "| | |",
    "| --- | --- |",
    ...rows,
    "",
    ...(sbom ? topDependencies(sbom.bom) : []),
  ].join("\n");
}

/** The app's direct dependencies, collapsed: what a reviewer looks for first. */
function topDependencies(bom: CycloneDxBom): string[] {
  const app = bom.metadata.component["bom-ref"];
  const direct = bom.dependencies.find((d) => d.ref === app)?.dependsOn ?? [];
  const byRef = new Map(bom.components.map((c) => [c["bom-ref"], c]));
  const rows = direct
    .map((ref) => byRef.get(ref))
    .filter((c) => c !== undefined)
    .slice(0, 25)
    .map(
      (c) => `| ${c.group ? `${c.group}/` : ""}${c.name} | ${c.version ?? ""} | ${c.scope ?? "required"} |`,
    );
  if (rows.length === 0) return [];
  return [
    `<details><summary>Direct dependencies (${direct.length})</summary>`,
    "",
    "| package | version | scope |",
    "| --- | --- | --- |",
    ...rows,
    ...(direct.length > rows.length ? [`| … ${direct.length - rows.length} more | | |`] : []),
    "",
    "</details>",
    "",
  ];
}
