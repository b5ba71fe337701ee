import type { Digest } from "../artifact/digest.ts";
import type { RuntimeName } from "../artifact/manifest.ts";
import { buildArtifact, type BuildArtifactRequest, type BuiltLayer } from "./build-artifact.ts";
import { PhaseError, type Phase } from "./pipeline-events.ts";
import { releaseArtifact, type ReleaseRequest } from "./release-artifact.ts";

export type DeployAppRequest = BuildArtifactRequest &
  Omit<ReleaseRequest, "digest" | "manifest" | "onEvent" | "clock" | "store">;

/** Milliseconds per phase and in total; a phase that did not run is absent. */
export type PhaseTimings = Partial<Record<Phase, number>> & { total: number };

/** Everything a presenter needs about one deploy, success or failure; also what `--json` prints. */
export interface DeployReport {
  ok: boolean;
  envName: string;
  /** Where it was deployed: `local` (this function), or `kubernetes` (the CLI's report of core/kube's deployKube). */
  target: "local" | "kubernetes";
  digest?: Digest;
  runtime?: RuntimeName;
  url?: string;
  release?: number;
  previous?: number;
  /** "verified", or "unverified: <why>", once the artifact was checked. */
  provenance?: string;
  layers: BuiltLayer[];
  bytesUploaded: number;
  bytesReused: number;
  timings: PhaseTimings;
  failure?: {
    phase: Phase;
    message: string;
    logTail: string[];
    stillServing?: { release: number; url: string };
  };
}

/**
 * `aether deploy` on the local target: build, pack, upload, then release and wait for health. Never throws for
 * an expected failure: the report says which phase failed and what still serves.
 */
export async function deployApp(request: DeployAppRequest): Promise<DeployReport> {
  const started = request.clock();
  const base = { envName: request.envName, target: "local" as const };
  let built;
  try {
    built = await buildArtifact(request);
  } catch (error) {
    if (!(error instanceof PhaseError)) throw error;
    return {
      ...base,
      ok: false,
      layers: [],
      bytesUploaded: 0,
      bytesReused: 0,
      timings: { total: request.clock() - started },
      failure: { phase: error.phase, message: error.message, logTail: error.logTail },
    };
  }
  const outcome = await releaseArtifact({ ...request, digest: built.digest, manifest: built.manifest });
  const timings: PhaseTimings = {
    ...built.timings,
    start: outcome.timings.start,
    ...(outcome.ok || outcome.phase === "healthy" ? { healthy: outcome.timings.healthy } : {}),
    total: request.clock() - started,
  };
  const common = {
    ...base,
    digest: built.digest,
    runtime: built.manifest.runtime.name,
    layers: built.layers,
    bytesUploaded: built.bytesUploaded,
    bytesReused: built.bytesReused,
    timings,
  };
  if (outcome.ok) {
    return {
      ...common,
      ok: true,
      url: outcome.url,
      release: outcome.release,
      provenance: outcome.provenance,
      ...(outcome.previous === undefined ? {} : { previous: outcome.previous }),
    };
  }
  return {
    ...common,
    ok: false,
    failure: {
      phase: outcome.phase,
      message: outcome.message,
      logTail: outcome.logTail,
      ...(outcome.stillServing ? { stillServing: outcome.stillServing } : {}),
    },
  };
}
