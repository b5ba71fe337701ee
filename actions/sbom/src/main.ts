// The sbom action: the artifact's SBOM and signed provenance, stored beside it; outputs and a job summary.
import * as core from "@actions/core";
import { mkdir } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { join, resolve } from "node:path";
import { epochFromEnv } from "../../../core/artifact/epoch.ts";
import { buildContextFromEnv } from "../../../core/provenance/build-context-from-env.ts";
import { openStore } from "../../../core/store/open-store.ts";
import type { SbomInput, SbomOutput } from "./action-io.ts";
import { chooseSigner } from "./choose-signer.ts";
import { eventVisibility } from "./event-visibility.ts";
import { resolveArtifact } from "./resolve-artifact.ts";
import { errorAnnotation } from "../../build/src/error-annotation.ts";
import { sbomSummary } from "./sbom-summary.ts";
import { signProvenance } from "./sign-provenance.ts";
import { sigstoreEndpoints } from "./sigstore-endpoints.ts";
import { SBOM_FORMATS, writeSbomFile, type SbomFormat } from "./write-sbom-file.ts";

const input = (name: SbomInput): string => core.getInput(name);
const output = (name: SbomOutput, value: string): void => core.setOutput(name, value);

async function main(): Promise<void> {
  const env = process.env;
  const workspace = env["GITHUB_WORKSPACE"] ?? process.cwd();
  try {
    const startedOn = new Date().toISOString();
    const signingKey = input("signing-key");
    // The runner masks line by line: a multi-line key is masked one line at a time.
    for (const line of signingKey.split("\n"))
      if (line.trim() !== "" && !line.startsWith("-----")) core.setSecret(line.trim());
    const format = input("format") || "json";
    if (!isFormat(format)) {
      throw new Error(`input format: "${format}" is not an SBOM format; use json or xml`);
    }
    const includeDev = parseBoolean(input("include-dev") || "false", "include-dev");
    const artifact = resolveArtifact({
      digest: input("digest"),
      manifest: input("manifest"),
      store: input("store"),
    });
    const store = openStore(artifact.store, { cwd: workspace, env });
    const manifest = await store.getManifest(artifact.digest);
    const outDir = join(
      env["RUNNER_TEMP"] ?? join(workspace, ".aether"),
      "aether-sbom",
      artifact.digest.slice(7, 19),
    );
    await mkdir(outDir, { recursive: true });
    const sbom = await writeSbomFile({
      store,
      manifest,
      dir: resolve(workspace, input("path") || "."),
      format,
      includeDev,
      epoch: epochFromEnv(env),
      outDir,
    });
    if (sbom) core.info(`✔ sbom      ${sbom.bom.components.length} components · ${sbom.path}`);
    else core.warning("No lockfile was found, so there is no SBOM; the provenance names the artifact only.");
    const choice = await chooseSigner({
      env,
      signingKey,
      endpoints: sigstoreEndpoints({
        fulcioUrl: input("fulcio-url"),
        rekorUrl: input("rekor-url"),
        visibility: await eventVisibility(env["GITHUB_EVENT_PATH"]),
        serverUrl: env["GITHUB_SERVER_URL"] || "https://github.com",
      }),
    });
    if (choice.kind === "none") core.warning(`${choice.reason}.`, { title: "Aether provenance unsigned" });
    const subjects = new Map<string, { name: string; digest: `sha256:${string}` }>();
    if (manifest.sbom)
      subjects.set(manifest.sbom.digest, { name: "sbom.cdx.json", digest: manifest.sbom.digest });
    if (sbom) subjects.set(sbom.digest, { name: `sbom.cdx.${sbom.format}`, digest: sbom.digest });
    const provenance = await signProvenance({
      store,
      artifact: artifact.digest,
      subjects: [...subjects.values()],
      context: buildContextFromEnv(env, { hostname: hostname(), user: userInfo().username }),
      startedOn,
      finishedOn: new Date().toISOString(),
      choice,
      outDir,
    });
    core.info(
      `✔ provenance ${provenance.signer}${provenance.identity ? ` · ${provenance.identity}` : ""} · ${provenance.path}`,
    );
    if (provenance.problem && provenance.signer !== "none") core.warning(provenance.problem);
    output("sbom-path", sbom?.path ?? "");
    output("sbom-digest", sbom?.digest ?? "");
    output("provenance-path", provenance.path);
    output("provenance-digest", provenance.digest);
    output("verified", String(provenance.verified));
    if (env["GITHUB_STEP_SUMMARY"]) {
      await core.summary.addRaw(sbomSummary({ artifact: artifact.digest, sbom, provenance })).write();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.error(message, { title: "Aether SBOM failed", ...errorAnnotation(error, workspace) });
    core.setFailed("Aether SBOM and provenance failed");
  }
}

function parseBoolean(value: string, name: SbomInput): boolean {
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^(false|no|off)$/i.test(value)) return false;
  throw new Error(`input ${name}: "${value}" is not true or false`);
}

function isFormat(value: string): value is SbomFormat {
  return (SBOM_FORMATS as readonly string[]).includes(value);
}

await main();
