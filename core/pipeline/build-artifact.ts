import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Digest } from "../artifact/digest.ts";
import {
  LAYER_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPE,
  MANIFEST_SCHEMA_VERSION,
  SBOM_MEDIA_TYPE,
  type ArtifactManifest,
  type LayerDescriptor,
  type LayerRole,
} from "../artifact/manifest.ts";
import { packLayer } from "../artifact/pack-layer.ts";
import { detectRuntime } from "../runtimes/detect-runtime.ts";
import { formatCommand } from "../runtimes/format-command.ts";
import { planBuild } from "../runtimes/plan-build.ts";
import type { Detection, LayerSource, RunCommand } from "../runtimes/runtime.ts";
import type { ArtifactStore } from "../store/store.ts";
import { readDepsCache, writeDepsCache } from "./deps-cache.ts";
import { formatBytes } from "./format.ts";
import { PhaseError, type OnPipelineEvent } from "./pipeline-events.ts";
import { runPhase, type Clock } from "./run-phase.ts";
import { runSteps } from "./run-steps.ts";
import { attestArtifact } from "./attest-artifact.ts";
import { copyAppSource } from "./copy-app-source.ts";
import { writeSbom } from "./write-sbom.ts";
import type { BuildContext } from "../provenance/build-context-from-env.ts";
import type { ProvenanceSigner } from "../provenance/provenance-signer.ts";

export interface BuildArtifactRequest {
  /** The app's source folder. */
  dir: string;
  store: ArtifactStore;
  /** Aether's cache folder (packed layers, the dependency-layer index, scratch space). */
  cacheDir: string;
  /** Seconds since the epoch stamped on every tar entry (SOURCE_DATE_EPOCH or the default). */
  epoch: number;
  /** `linux-x64`: native dependencies make the dependency layer platform-specific. */
  platform: string;
  run: RunCommand;
  /** Whether a build tool is on PATH, so a missing one is reported at detect rather than mid-build. */
  hasCommand?: (name: string) => Promise<boolean>;
  onEvent: OnPipelineEvent;
  clock: Clock;
  /** Sign provenance for the artifact and store it beside it (AETHER_SIGNING_KEY, or Sigstore in Actions). */
  attest?: { signer: ProvenanceSigner; context: BuildContext; now: () => Date };
}

export interface BuiltLayer extends LayerDescriptor {
  /** True when the dependency layer came from the cache without running the install. */
  cached: boolean;
  /** True when this run sent the blob to the store; false when the store had it. */
  uploaded: boolean;
}

export interface BuiltArtifact {
  digest: Digest;
  manifest: ArtifactManifest;
  detection: Detection;
  layers: BuiltLayer[];
  bytesUploaded: number;
  bytesReused: number;
  /** Milliseconds per phase: detect, build, pack, upload. */
  timings: { detect: number; build: number; pack: number; upload: number };
  /** Who signed the provenance stored beside it, when the build was asked to attest. */
  attestation?: { keyid: string; signer: string };
}

interface PendingLayer {
  descriptor: LayerDescriptor;
  path: string;
  cached: boolean;
}

/**
 * Detects, builds, packs and uploads one app: the first half of every deploy, and all of `aether build`.
 * The dependency layer is rebuilt only when its key (lockfile, runtime, install command, platform) changes.
 */
export async function buildArtifact(request: BuildArtifactRequest): Promise<BuiltArtifact> {
  const { dir, store, cacheDir, onEvent, clock } = request;
  const layersDir = join(cacheDir, "layers");
  const workRoot = join(cacheDir, "work");
  await mkdir(layersDir, { recursive: true });
  await mkdir(workRoot, { recursive: true });
  const scratch = await mkdtemp(join(workRoot, "build-"));
  const startedOn = request.attest?.now() ?? new Date(0);
  try {
    const detect = await runPhase({
      phase: "detect",
      onEvent,
      clock,
      work: async () => {
        const detection = await detectRuntime(
          dir,
          request.hasCommand ? { hasCommand: request.hasCommand } : {},
        );
        return { value: detection, detail: detection.summary };
      },
    });
    const detection = detect.value;
    const plan = await planBuild(detection, dir, { platform: request.platform });
    const cachedDeps = plan.deps ? await readDepsCache({ cacheDir, key: plan.deps.key, store }) : undefined;

    const build = await runPhase({
      phase: "build",
      onEvent,
      clock,
      work: async () => {
        const notes: string[] = [];
        let depsRoot: string | undefined;
        if (plan.deps && !cachedDeps) {
          depsRoot = join(scratch, "deps");
          await mkdir(depsRoot, { recursive: true });
          for (const input of plan.deps.inputs) {
            await mkdir(dirname(join(depsRoot, input)), { recursive: true });
            await cp(join(dir, input), join(depsRoot, input));
          }
          await runSteps({
            steps: plan.deps.command,
            cwd: depsRoot,
            run: request.run,
            phase: "build",
            onEvent,
          });
          notes.push(plan.deps.command.map(formatCommand).join(" && "));
        } else if (plan.deps) {
          notes.push("dependencies reused: lockfile unchanged");
        }
        let appRoot = dir;
        if (plan.app.copySource) {
          appRoot = join(scratch, "app");
          await copyAppSource(dir, appRoot);
          for (const file of plan.app.files ?? []) {
            await writeFile(join(appRoot, file.path), file.content);
            notes.push(`added ${file.path}`);
          }
          await runSteps({
            steps: plan.app.command,
            cwd: appRoot,
            run: request.run,
            phase: "build",
            onEvent,
          });
          if (plan.app.command.length > 0) notes.push(plan.app.command.map(formatCommand).join(" && "));
        }
        if (notes.length === 0) notes.push("nothing to compile");
        return { value: { depsRoot, appRoot }, detail: notes.join(" · ") };
      },
    });

    const pack = await runPhase({
      phase: "pack",
      onEvent,
      clock,
      work: async () => {
        const packAs = async (role: LayerRole, root: string, output: LayerSource): Promise<PendingLayer> => {
          const packed = await packLayer({
            root: join(root, output.root),
            prefix: output.prefix,
            exclude: output.exclude,
            epoch: request.epoch,
            outDir: layersDir,
          });
          const { digest, size, entries } = packed;
          return {
            descriptor: { role, mediaType: LAYER_MEDIA_TYPE, digest, size, entries },
            path: packed.path,
            cached: false,
          };
        };
        const pending: PendingLayer[] = [];
        if (plan.deps && cachedDeps) {
          pending.push({ descriptor: cachedDeps.descriptor, path: cachedDeps.path, cached: true });
        } else if (plan.deps && build.value.depsRoot) {
          const deps = await packAs("deps", build.value.depsRoot, plan.deps.output);
          deps.descriptor.key = plan.deps.key;
          await writeDepsCache({ cacheDir, key: plan.deps.key, descriptor: deps.descriptor });
          pending.push(deps);
        }
        pending.push(await packAs("app", build.value.appRoot, plan.app.output));
        const sbom = await writeSbom({ dir, epoch: request.epoch, outDir: layersDir });
        const detail = pending
          .map((l) => `${l.descriptor.role} ${formatBytes(l.descriptor.size)}${l.cached ? " (cached)" : ""}`)
          .join(" · ");
        const sbomNote = sbom ? ` · SBOM ${sbom.components} components` : "";
        return {
          value: { layers: pending, sbom },
          detail: `${pending.length} layer${pending.length === 1 ? "" : "s"} · ${detail}${sbomNote}`,
        };
      },
    });

    const manifest: ArtifactManifest = {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      mediaType: MANIFEST_MEDIA_TYPE,
      runtime: detection.version
        ? { name: detection.runtime, version: detection.version }
        : { name: detection.runtime },
      start: plan.start,
      port: plan.port,
      healthPath: plan.healthPath,
      env: plan.env,
      layers: pack.value.layers.map((l) => l.descriptor),
      ...(pack.value.sbom
        ? {
            sbom: {
              mediaType: SBOM_MEDIA_TYPE,
              digest: pack.value.sbom.digest,
              size: pack.value.sbom.size,
              components: pack.value.sbom.components,
            },
          }
        : {}),
    };

    const upload = await runPhase({
      phase: "upload",
      onEvent,
      clock,
      work: async () => {
        const layers: BuiltLayer[] = [];
        let bytesUploaded = 0;
        let bytesReused = 0;
        for (const layer of pack.value.layers) {
          const put = await store.putBlob(layer.descriptor.digest, layer.path, {
            onProgress: (sent) =>
              onEvent({
                type: "progress",
                phase: "upload",
                message: `${layer.descriptor.role} ${formatBytes(sent)} / ${formatBytes(layer.descriptor.size)}`,
              }),
          });
          if (put.uploaded) bytesUploaded += layer.descriptor.size;
          else bytesReused += layer.descriptor.size;
          layers.push({ ...layer.descriptor, cached: layer.cached, uploaded: put.uploaded });
        }
        const sbom = pack.value.sbom;
        if (sbom) {
          const put = await store.putBlob(sbom.digest, sbom.path);
          if (put.uploaded) bytesUploaded += sbom.size;
          else bytesReused += sbom.size;
        }
        const deps = layers.find((l) => l.role === "deps");
        // Indexed only once the blob is stored, so no reader finds a key whose layer is missing; a reused
        // layer that the index already names is not written again (a warm build writes no index record).
        if (deps?.key !== undefined) {
          const indexed = deps.uploaded ? undefined : await store.getDepsLayer(deps.key);
          if (indexed?.digest !== deps.digest) await store.putDepsLayer(deps.key, depsDescriptor(deps));
        }
        const stored = await store.putManifest(manifest);
        const attestation = request.attest
          ? await attestArtifact({
              store,
              digest: stored.digest,
              ...(sbom ? { sbom: { name: "sbom.cdx.json", digest: sbom.digest } } : {}),
              signer: request.attest.signer,
              context: request.attest.context,
              startedOn: startedOn.toISOString(),
              finishedOn: request.attest.now().toISOString(),
            })
          : undefined;
        const detail =
          `uploaded ${formatBytes(bytesUploaded)} · reused ${formatBytes(bytesReused)} · ${store.url}` +
          (stored.uploaded ? "" : " (artifact already stored)");
        return {
          value: { layers, bytesUploaded, bytesReused, digest: stored.digest, attestation },
          detail: attestation ? `${detail} · provenance signed (${attestation.keyid.slice(0, 12)})` : detail,
        };
      },
    });

    return {
      digest: upload.value.digest,
      manifest,
      detection,
      layers: upload.value.layers,
      bytesUploaded: upload.value.bytesUploaded,
      bytesReused: upload.value.bytesReused,
      timings: { detect: detect.ms, build: build.ms, pack: pack.ms, upload: upload.ms },
      ...(upload.value.attestation ? { attestation: upload.value.attestation } : {}),
    };
  } catch (error) {
    if (error instanceof PhaseError) throw error;
    throw new PhaseError("build", error instanceof Error ? error.message : String(error), [], {
      cause: error,
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Folders never copied into a build's scratch space: they are rebuilt or irrelevant. */
/** The stored descriptor of a built deps layer, without the build-only flags. */
function depsDescriptor(layer: BuiltLayer): LayerDescriptor {
  const { role, mediaType, digest, size, entries, key } = layer;
  return key === undefined
    ? { role, mediaType, digest, size, entries }
    : { role, mediaType, digest, size, entries, key };
}
