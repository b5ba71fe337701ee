import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { envDirFor } from "./env-paths.ts";
import { InvalidReleaseError } from "./local-errors.ts";
import type { LaunchSupervisor, LocalDeployEvent, LocalDeployResult } from "./local-types.ts";
import { sendDeploy } from "./send-deploy.ts";

export interface LocalDeployRequest {
  /** Aether's state folder, usually `.aether`. */
  stateDir: string;
  envName: string;
  digest: Digest;
  manifest: ArtifactManifest;
  /** The extracted artifact, normally at releaseDirFor({ stateDir, envName, digest }). */
  releaseDir: string;
  /** Public port wish for the environment's first deploy; PortInUseError if taken. */
  port?: number;
  /** Deadline for the health path to answer 200; default 30 s. */
  healthTimeoutMs?: number;
  /** The app's environment on top of the manifest's (may hold secrets: never echoed). */
  env?: Record<string, string>;
  launchSupervisor: LaunchSupervisor;
  onEvent?: (event: LocalDeployEvent) => void;
}

/**
 * Deploys an extracted release to a local environment: starts it beside the current release on a fresh
 * internal port, waits for its health path, switches the environment's URL to it, stops the old one. A
 * release that fails never takes the URL: `ok: false` says which phase failed, why, its last log lines and
 * what still serves. Throws for failures that are not the release's (bad name, port in use, no supervisor).
 * @example
 * const result = await deployLocal({ stateDir: ".aether", envName: "production", digest, manifest,
 *   releaseDir: releaseDirFor({ stateDir: ".aether", envName: "production", digest }),
 *   launchSupervisor: spawnSupervisorProcess(entry, process.execPath) });
 */
export async function deployLocal(request: LocalDeployRequest): Promise<LocalDeployResult> {
  const envDir = envDirFor(request);
  const folder = await stat(request.releaseDir).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new InvalidReleaseError(
      `the release folder ${request.releaseDir} does not exist; extract the artifact there before deploying`,
    );
  }
  return sendDeploy({
    envDir,
    command: {
      digest: request.digest,
      manifest: request.manifest,
      releaseDir: resolve(request.releaseDir),
      env: request.env ?? {},
      ...(request.port === undefined ? {} : { port: request.port }),
      ...(request.healthTimeoutMs === undefined ? {} : { healthTimeoutMs: request.healthTimeoutMs }),
    },
    launchSupervisor: request.launchSupervisor,
    ...(request.onEvent === undefined ? {} : { onEvent: request.onEvent }),
  });
}
