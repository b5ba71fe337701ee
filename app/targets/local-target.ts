import { createHash } from "node:crypto";
import { join } from "node:path";
import { localStatus } from "../../core/local/local-status.ts";
import { destroyLocal } from "../../core/local/destroy-local.ts";
import { UnknownEnvironmentError, RollbackRefusedError } from "../../core/local/local-errors.ts";
import type { LaunchSupervisor } from "../../core/local/local-types.ts";
import { readLocalLogs } from "../../core/local/read-local-logs.ts";
import { rollbackLocal } from "../../core/local/rollback-local.ts";
import { releaseArtifact } from "../../core/pipeline/release-artifact.ts";
import type { ArtifactStore } from "../../core/store/store.ts";
import type { DeployTarget, TargetRef } from "./deploy-target.ts";

/**
 * The local target: each (repository, app, environment) is a supervised local environment under
 * `<stateDir>/envs/`, named `<repo>-<app>-<env>-<hash>` (63 characters at most, unique by the hash).
 */
export function createLocalTarget(options: {
  stateDir: string;
  store: ArtifactStore;
  launchSupervisor: LaunchSupervisor;
  healthTimeoutMs?: number;
  clock?: () => number;
}): DeployTarget {
  const clock = options.clock ?? (() => performance.now());
  const where = (ref: TargetRef) => ({ stateDir: options.stateDir, envName: localEnvName(ref) });
  return {
    name: "local",
    async deploy(request) {
      const outcome = await releaseArtifact({
        store: options.store,
        digest: request.digest,
        manifest: request.manifest,
        ...where(request),
        appEnv: request.appEnv,
        launchSupervisor: options.launchSupervisor,
        onEvent: request.onEvent,
        clock,
        ...(options.healthTimeoutMs === undefined ? {} : { healthTimeoutMs: options.healthTimeoutMs }),
      });
      if (outcome.ok)
        return {
          ok: true,
          url: outcome.url,
          release: outcome.release,
          provenance: outcome.provenance,
          timings: outcome.timings,
        };
      return {
        ok: false,
        phase: outcome.phase,
        message: outcome.message,
        logTail: outcome.logTail,
        timings: outcome.timings,
      };
    },
    async rollback(request) {
      const started = clock();
      request.onEvent({ type: "phase-started", phase: "start" });
      try {
        const result = await rollbackLocal({ ...where(request), launchSupervisor: options.launchSupervisor });
        const ms = clock() - started;
        if (result.ok) {
          request.onEvent({
            type: "phase-finished",
            phase: "start",
            ms,
            detail: `release ${result.release}`,
          });
          return { ok: true, url: result.url, release: result.release, timings: { start: ms, healthy: 0 } };
        }
        request.onEvent({
          type: "phase-failed",
          phase: "start",
          ms,
          message: result.reason,
          logTail: result.logTail,
        });
        return {
          ok: false,
          phase: result.phase,
          message: result.reason,
          logTail: result.logTail,
          timings: { start: ms, healthy: 0 },
        };
      } catch (error) {
        if (!(error instanceof RollbackRefusedError || error instanceof UnknownEnvironmentError)) throw error;
        const ms = clock() - started;
        request.onEvent({ type: "phase-failed", phase: "start", ms, message: error.message, logTail: [] });
        return {
          ok: false,
          phase: "start",
          message: error.message,
          logTail: [],
          timings: { start: ms, healthy: 0 },
        };
      }
    },
    async current(ref) {
      try {
        const status = await localStatus({ ...where(ref), launchSupervisor: options.launchSupervisor });
        if (status.current === undefined || status.url === undefined || status.current.state !== "up")
          return undefined;
        return { digest: status.current.digest, url: status.url };
      } catch (error) {
        if (error instanceof UnknownEnvironmentError) return undefined;
        throw error;
      }
    },
    destroy: (ref) => destroyLocal(where(ref)),
    async logs(request) {
      const lines: string[] = [];
      try {
        for await (const line of readLocalLogs({
          ...where(request),
          tail: request.tail,
          ...(request.sinceMs === undefined ? {} : { since: new Date(Date.now() - request.sinceMs) }),
          follow: false,
        }))
          lines.push(line.line);
      } catch (error) {
        if (!(error instanceof UnknownEnvironmentError)) throw error;
      }
      return lines;
    },
  };
}

/** The local environment name of a (repository, app, env): readable, valid, and unique by its hash. */
export function localEnvName(ref: TargetRef): string {
  const hash = createHash("sha256")
    .update(`${ref.repository}\n${ref.app}\n${ref.env}`)
    .digest("hex")
    .slice(0, 8);
  const slug = `${ref.repository.split("/")[1] ?? ""}-${ref.app}-${ref.env}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63 - hash.length - 1)
    .replace(/-+$/, "");
  return `${slug || "env"}-${hash}`;
}

/** Where the local target keeps the app's environments inside its data folder (`.aether/app-target`). */
export function localTargetDir(dataDir: string): string {
  return join(dataDir, "app-target");
}
