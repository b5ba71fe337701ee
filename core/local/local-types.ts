import type { Digest } from "../artifact/digest.ts";
import type { ReleaseRecord } from "./release-history.ts";

/**
 * Starts the supervisor process of an environment (detached, outliving the caller). Handed in so core does
 * not decide how processes are spawned; `spawnSupervisorProcess` makes the usual one.
 */
export type LaunchSupervisor = (envDir: string) => Promise<void> | void;

/** Progress of a local deploy or rollback, in order. */
export type LocalDeployEvent =
  | { type: "supervisor-started"; pid: number; url: string }
  | { type: "started"; release: number; pid: number; internalPort: number }
  | { type: "probe"; attempt: number; status?: number; error?: string }
  | { type: "healthy"; release: number; probes: number; ms: number }
  | { type: "switched"; release: number; previous?: number }
  /** A line the new release printed while starting. */
  | { type: "log"; line: string };

/** The events of a release's own start (everything but the supervisor's). */
export type ReleaseEvent = Exclude<LocalDeployEvent, { type: "supervisor-started" }>;

/**
 * The outcome of a deploy or rollback. A failed release is never switched on: `stillServing` names the
 * release that keeps answering at the environment's URL, if there is one.
 */
export type LocalDeployResult =
  | {
      ok: true;
      url: string;
      release: number;
      previous?: number;
      /** startMs: request to process spawned (supervisor start included); healthyMs: spawn to first 200. */
      timings: { startMs: number; healthyMs: number };
      probes: number;
    }
  | {
      ok: false;
      phase: "start" | "healthy";
      release: number;
      reason: string;
      /** The last lines the failed release printed. */
      logTail: string[];
      stillServing?: { release: number; url: string };
    };

/** The state of the release an environment serves. */
export interface CurrentRelease {
  release: number;
  digest: Digest;
  rollbackOf?: number;
  /**
   * up: serving; starting: being started by a supervisor that just (re)started; restarting: crashed, waiting
   * for its next start; down: not running (no supervisor, or its folder is gone).
   */
  state: "up" | "starting" | "restarting" | "down";
  pid?: number;
  internalPort?: number;
  /** Crash restarts since the release was switched on (or since the supervisor resumed it). */
  restarts: number;
  /** Milliseconds since the current process started, while it is up. */
  uptimeMs?: number;
}

/** What `aether status` shows for one local environment. */
export interface EnvStatus {
  envName: string;
  envDir: string;
  /** http://127.0.0.1:PORT, stable across releases; known once the environment has had a port. */
  url?: string;
  /** True while the supervisor process answers on its control socket. */
  running: boolean;
  supervisorPid?: number;
  /** Milliseconds since the supervisor started, while running. */
  supervisorUptimeMs?: number;
  current?: CurrentRelease;
  /** The release a deploy is starting right now, if one is. */
  deploying?: number;
  /** Newest first. */
  history: ReleaseRecord[];
}
