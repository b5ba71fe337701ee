import { stat } from "node:fs/promises";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { formatMs } from "./format-ms.ts";
import type { ReleaseEvent } from "./local-types.ts";
import type { LogWriter } from "./log-writer.ts";
import { freeInternalPort } from "./ports.ts";
import { releaseEnv } from "./release-env.ts";
import { describeExit, startReleaseProcess, type ReleaseProcess } from "./release-process.ts";
import { waitHealthy } from "./wait-healthy.ts";
import { createRedactor } from "../redact/redact.ts";

export type LaunchResult =
  | { ok: true; process: ReleaseProcess; probes: number; startMs: number; healthyMs: number }
  | { ok: false; phase: "start" | "healthy"; reason: string; logTail: string[] };

/** What a launch needs to know about a release. */
export interface LaunchableRelease {
  number: number;
  releaseDir: string;
  manifest: ArtifactManifest;
  env: Record<string, string>;
}

/**
 * Starts one attempt of a release on a fresh internal port and waits until its health path answers 200.
 * A process that exits first fails the `start` phase; one that never answers in time fails `healthy` and
 * is stopped. Never throws for the app's faults: they come back as a reason and the last log lines.
 */
export async function launchRelease(request: {
  release: LaunchableRelease;
  envDir: string;
  baseEnv: Record<string, string | undefined>;
  log: LogWriter;
  healthTimeoutMs: number;
  stopGraceMs: number;
  onEvent?: (event: ReleaseEvent) => void;
  /** Told as soon as the process exists, so it can be recorded for crash recovery and stopped early. */
  onSpawn?: (child: ReleaseProcess) => void;
}): Promise<LaunchResult> {
  const { release, log, onEvent } = request;
  const started = Date.now();
  const fail = (phase: "start" | "healthy", reason: string, logTail: string[] = []): LaunchResult => {
    log.write("aether", `release ${release.number} failed: ${reason}`);
    return { ok: false, phase, reason, logTail };
  };
  const dir = await stat(release.releaseDir).catch(() => undefined);
  if (!dir?.isDirectory()) {
    return fail("start", `the release folder ${release.releaseDir} is missing; deploy the artifact again`);
  }
  const port = await freeInternalPort();
  const argv = release.manifest.start;
  log.write("aether", `starting release ${release.number}: ${argv.join(" ")} (PORT=${port})`);
  let child: ReleaseProcess;
  try {
    child = startReleaseProcess({
      argv,
      cwd: release.releaseDir,
      env: releaseEnv({
        base: request.baseEnv,
        manifest: release.manifest,
        releaseDir: release.releaseDir,
        userEnv: release.env,
        port,
        envDir: request.envDir,
        release: release.number,
      }),
      port,
      log,
      // The values the user handed in (`--set`) are the secrets this release is known to hold.
      redact: createRedactor(Object.values(release.env)),
      onLine: (line) => onEvent?.({ type: "log", line }),
    });
  } catch (error) {
    return fail(
      "start",
      `\`${argv.join(" ")}\` could not be started: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (child.pid === undefined) {
    const exit = await child.exited;
    return fail("start", `\`${argv.join(" ")}\` ${describeExit(exit)} (run from ${release.releaseDir})`);
  }
  request.onSpawn?.(child);
  onEvent?.({ type: "started", release: release.number, pid: child.pid, internalPort: port });
  const spawned = Date.now();
  const health = await waitHealthy({
    port,
    path: release.manifest.healthPath,
    timeoutMs: request.healthTimeoutMs,
    exited: child.exited,
    onProbe: (probe) => onEvent?.({ type: "probe", ...probe }),
  });
  const path = release.manifest.healthPath;
  if (health.ok) {
    const healthyMs = Date.now() - spawned;
    log.write(
      "aether",
      `healthy: GET ${path} answered 200 after ${health.probes} probes (${formatMs(healthyMs)})`,
    );
    onEvent?.({ type: "healthy", release: release.number, probes: health.probes, ms: healthyMs });
    return { ok: true, process: child, probes: health.probes, startMs: spawned - started, healthyMs };
  }
  if (health.why === "exited") {
    return fail(
      "start",
      `the app ${describeExit(health.exit)} before GET ${path} answered 200`,
      child.tail(),
    );
  }
  await child.stop(request.stopGraceMs);
  const last = health.last === undefined ? "" : ` (last answer: ${health.last})`;
  return fail(
    "healthy",
    `GET ${path} never answered 200 within ${formatMs(request.healthTimeoutMs)}${last}`,
    child.tail(),
  );
}
