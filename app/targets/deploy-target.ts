import type { Digest } from "../../core/artifact/digest.ts";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import type { OnPipelineEvent } from "../../core/pipeline/pipeline-events.ts";

/** Which environment of which app of which repository a target call is about. */
export interface TargetRef {
  /** `owner/name` */
  repository: string;
  app: string;
  /** `production`, `staging`, `pr-42` … */
  env: string;
}

export interface TargetDeployRequest extends TargetRef {
  digest: Digest;
  manifest: ArtifactManifest;
  /** Environment variables for the app (DATABASE_URL of a preview …): secrets, never echoed. */
  appEnv: Record<string, string>;
  /** Reports the `start` and `healthy` phases as they go (the check run is redrawn from these). */
  onEvent: OnPipelineEvent;
  /** For a pull request's preview: its host and expiry from the repository's `previews` config. */
  preview?: { host?: string; expiresAt: Date };
}

/** What a target reports about a rollout; a failure never took the environment's URL. */
export type TargetOutcome =
  | {
      ok: true;
      url: string;
      release?: number;
      provenance?: string;
      timings: { start: number; healthy: number };
    }
  | {
      ok: false;
      phase: "start" | "healthy";
      message: string;
      logTail: string[];
      timings: { start: number; healthy: number };
    };

/**
 * Where the app's deploys run. The worker knows only this interface: `local` (supervised processes on this
 * machine) now, Kubernetes (core/kube's deployKube) plugged in later with the same five calls.
 */
export interface DeployTarget {
  readonly name: string;
  /** Rolls the artifact out to the environment, waits until healthy, switches traffic. */
  deploy(request: TargetDeployRequest): Promise<TargetOutcome>;
  /** Serves the previous good release again. */
  rollback(request: TargetRef & { onEvent: OnPipelineEvent }): Promise<TargetOutcome>;
  /** What the environment serves now (to finish a deploy a restart cut off without running it twice). */
  current(ref: TargetRef): Promise<{ digest: string; url: string } | undefined>;
  /** Removes everything the environment has on the target; safe to repeat. */
  destroy(ref: TargetRef): Promise<{ existed: boolean }>;
  /** The environment's last log lines (for `/logs`), oldest first. */
  logs(ref: TargetRef & { sinceMs?: number; tail: number }): Promise<string[]>;
}
