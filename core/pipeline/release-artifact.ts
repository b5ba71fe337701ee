import type { Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { deployLocal } from "../local/deploy-local.ts";
import type { LocalDeployResult } from "../local/local-types.ts";
import { releaseDirFor } from "../local/release-dir-for.ts";
import type { ArtifactStore } from "../store/store.ts";
import { checkProvenance, type ProvenanceRequirements } from "./check-provenance.ts";
import { materializeRelease } from "./materialize-release.ts";
import type { OnPipelineEvent } from "./pipeline-events.ts";
import type { Clock } from "./run-phase.ts";

export interface ReleaseRequest {
  store: ArtifactStore;
  digest: Digest;
  manifest: ArtifactManifest;
  /** Aether's state folder (`.aether`): environments, releases, logs. */
  stateDir: string;
  envName: string;
  /** Public port wish for the environment's first deploy. */
  port?: number;
  healthTimeoutMs?: number;
  /** Environment variables for the app (on top of the manifest's). */
  appEnv?: Record<string, string>;
  launchSupervisor: (envDir: string) => Promise<void> | void;
  onEvent: OnPipelineEvent;
  clock: Clock;
  /** Checked before anything starts; absent: not checked (the artifact is reported unverified). */
  provenance?: ProvenanceRequirements;
}

export type ReleaseOutcome =
  | {
      ok: true;
      url: string;
      release: number;
      previous?: number;
      probes: number;
      /** "verified", or "unverified: <why>". */
      provenance: string;
      timings: { start: number; healthy: number };
    }
  | {
      ok: false;
      phase: "start" | "healthy";
      message: string;
      logTail: string[];
      stillServing?: { release: number; url: string };
      timings: { start: number; healthy: number };
    };

/**
 * The local target's half of a deploy: materialise the verified artifact into its release folder, start it
 * beside the current release, wait for health, switch. Reports the `start` and `healthy` phases.
 */
export async function releaseArtifact(request: ReleaseRequest): Promise<ReleaseOutcome> {
  const { onEvent, clock } = request;
  const startedAt = clock();
  let healthyAt: number | undefined;
  onEvent({ type: "phase-started", phase: "start" });
  const failStart = (message: string): ReleaseOutcome => {
    const ms = clock() - startedAt;
    onEvent({ type: "phase-failed", phase: "start", ms, message, logTail: [] });
    return { ok: false, phase: "start", message, logTail: [], timings: { start: ms, healthy: 0 } };
  };
  let provenance = "unverified: not checked";
  if (request.provenance) {
    const decision = await checkProvenance({
      store: request.store,
      digest: request.digest,
      ...(request.manifest.sbom ? { sbomDigest: request.manifest.sbom.digest } : {}),
      requirements: request.provenance,
    });
    if (!decision.proceed) return failStart(decision.message);
    provenance = decision.label;
    if (!decision.verified)
      onEvent({ type: "progress", phase: "start", message: `${decision.label}: ${decision.message}` });
  }
  const releaseDir = releaseDirFor({
    stateDir: request.stateDir,
    envName: request.envName,
    digest: request.digest,
  });
  try {
    await materializeRelease({
      store: request.store,
      digest: request.digest,
      manifest: request.manifest,
      releaseDir,
    });
  } catch (error) {
    return failStart(`could not unpack the artifact: ${errorMessage(error)}`);
  }
  let probes = 0;
  let result: LocalDeployResult;
  try {
    result = await deployLocal({
      stateDir: request.stateDir,
      envName: request.envName,
      digest: request.digest,
      manifest: request.manifest,
      releaseDir,
      ...(request.port === undefined ? {} : { port: request.port }),
      ...(request.healthTimeoutMs === undefined ? {} : { healthTimeoutMs: request.healthTimeoutMs }),
      ...(request.appEnv === undefined ? {} : { env: request.appEnv }),
      launchSupervisor: request.launchSupervisor,
      onEvent: (event) => {
        if (event.type === "started") {
          healthyAt = clock();
          onEvent({
            type: "phase-finished",
            phase: "start",
            ms: healthyAt - startedAt,
            detail: `release ${event.release} · pid ${event.pid} · internal port ${event.internalPort}`,
          });
          onEvent({ type: "phase-started", phase: "healthy" });
        } else if (event.type === "probe") {
          probes = event.attempt;
          onEvent({
            type: "progress",
            phase: "healthy",
            message: `GET ${request.manifest.healthPath} attempt ${event.attempt}: ${event.status ?? event.error ?? "no answer"}`,
          });
        } else if (event.type === "log") {
          onEvent({ type: "output", phase: healthyAt === undefined ? "start" : "healthy", line: event.line });
        }
      },
    });
  } catch (error) {
    // Port taken, supervisor unreachable …: expected failures that changed nothing, so report, do not throw.
    return failStart(errorMessage(error));
  }
  const now = clock();
  const start = (healthyAt ?? now) - startedAt;
  const healthy = healthyAt === undefined ? 0 : now - healthyAt;
  if (result.ok) {
    onEvent({
      type: "phase-finished",
      phase: "healthy",
      ms: healthy,
      detail: `GET ${request.manifest.healthPath} 200 after ${result.probes} probe${result.probes === 1 ? "" : "s"}`,
    });
    return {
      ok: true,
      url: result.url,
      release: result.release,
      ...(result.previous === undefined ? {} : { previous: result.previous }),
      probes: Math.max(probes, result.probes),
      provenance,
      timings: { start, healthy },
    };
  }
  const phase = healthyAt === undefined ? "start" : result.phase;
  if (phase === "healthy" && healthyAt === undefined) onEvent({ type: "phase-started", phase: "healthy" });
  onEvent({
    type: "phase-failed",
    phase,
    ms: phase === "start" ? start : healthy,
    message: result.reason,
    logTail: result.logTail,
  });
  return {
    ok: false,
    phase,
    message: result.reason,
    logTail: result.logTail,
    ...(result.stillServing ? { stillServing: result.stillServing } : {}),
    timings: { start, healthy },
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
