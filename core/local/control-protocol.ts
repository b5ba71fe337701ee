import { isDigest, type Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { decodeManifest } from "../artifact/manifest-codec.ts";
import type { KeeperState } from "./release-keeper.ts";
import type { LocalDeployResult, ReleaseEvent } from "./local-types.ts";

/**
 * The supervisor's control API, spoken as HTTP over its unix socket:
 *   GET  /status  → SupervisorStatus (JSON)
 *   POST /deploy  ← DeployCommand (JSON); → SupervisorEvent per line (NDJSON), ending with `result` or `error`
 *   POST /stop    → { stopped: true } once every release process is gone; then the supervisor exits
 */
export interface DeployCommand {
  digest: Digest;
  manifest: ArtifactManifest;
  releaseDir: string;
  port?: number;
  healthTimeoutMs?: number;
  env: Record<string, string>;
  rollbackOf?: number;
}

export type SupervisorEvent =
  | ReleaseEvent
  | { type: "ready"; pid: number; url: string }
  | { type: "result"; result: LocalDeployResult }
  | {
      type: "error";
      code: "port-in-use" | "port-conflict" | "stopping" | "internal";
      port?: number;
      message: string;
    };

export interface SupervisorStatus {
  pid: number;
  startedAt: string;
  url?: string;
  deploying?: number;
  current?: {
    release: number;
    state: KeeperState;
    pid?: number;
    internalPort?: number;
    restarts: number;
    uptimeMs?: number;
  };
}

/** Parses a deploy command from the socket; throws with a message naming the bad field. */
export function parseDeployCommand(raw: unknown): DeployCommand {
  const fail = (what: string): never => {
    throw new Error(`deploy command: ${what}`);
  };
  if (typeof raw !== "object" || raw === null) return fail("must be a JSON object");
  const { digest, manifest, releaseDir, port, healthTimeoutMs, env, rollbackOf } = raw as Record<
    string,
    unknown
  >;
  if (typeof digest !== "string" || !isDigest(digest)) return fail("digest must be sha256:<64 hex>");
  if (typeof releaseDir !== "string" || releaseDir === "") return fail("releaseDir must be a path");
  const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;
  if (port !== undefined && !(isInt(port) && port <= 65535)) return fail("port must be 1 to 65535");
  if (healthTimeoutMs !== undefined && !isInt(healthTimeoutMs))
    return fail("healthTimeoutMs must be positive");
  if (rollbackOf !== undefined && !isInt(rollbackOf)) return fail("rollbackOf must be a release number");
  if (typeof env !== "object" || env === null || !Object.values(env).every((v) => typeof v === "string")) {
    return fail("env must be an object of strings");
  }
  return {
    digest,
    manifest: decodeManifest(JSON.stringify(manifest), "deploy command"),
    releaseDir,
    ...(port === undefined ? {} : { port }),
    ...(healthTimeoutMs === undefined ? {} : { healthTimeoutMs }),
    env: env as Record<string, string>,
    ...(rollbackOf === undefined ? {} : { rollbackOf }),
  };
}

/** Parses GET /status; the supervisor is ours, but a stale or foreign socket could answer anything. */
export function parseSupervisorStatus(raw: unknown): SupervisorStatus {
  if (typeof raw !== "object" || raw === null) throw new Error("status: not a JSON object");
  const r = raw as Record<string, unknown>;
  if (typeof r["pid"] !== "number" || typeof r["startedAt"] !== "string") throw new Error("status: no pid");
  const current =
    typeof r["current"] === "object" && r["current"] !== null
      ? (r["current"] as Record<string, unknown>)
      : undefined;
  const states: readonly unknown[] = ["up", "starting", "restarting", "down"];
  const num = (v: unknown): v is number => typeof v === "number";
  return {
    pid: r["pid"],
    startedAt: r["startedAt"],
    ...(typeof r["url"] === "string" ? { url: r["url"] } : {}),
    ...(num(r["deploying"]) ? { deploying: r["deploying"] } : {}),
    ...(current && num(current["release"]) && states.includes(current["state"])
      ? {
          current: {
            release: current["release"],
            state: current["state"] as KeeperState,
            restarts: num(current["restarts"]) ? current["restarts"] : 0,
            ...(num(current["pid"]) ? { pid: current["pid"] } : {}),
            ...(num(current["internalPort"]) ? { internalPort: current["internalPort"] } : {}),
            ...(num(current["uptimeMs"]) ? { uptimeMs: current["uptimeMs"] } : {}),
          },
        }
      : {}),
  };
}

const EVENT_TYPES: readonly unknown[] = [
  "started",
  "probe",
  "healthy",
  "switched",
  "log",
  "ready",
  "result",
  "error",
];

/** Parses one line of the deploy stream (written by our own supervisor: the shape is checked, not each field). */
export function parseSupervisorEvent(raw: unknown): SupervisorEvent {
  if (typeof raw !== "object" || raw === null || !EVENT_TYPES.includes((raw as { type?: unknown }).type)) {
    throw new Error(`deploy stream: unexpected line ${JSON.stringify(raw)}`);
  }
  return raw as SupervisorEvent;
}
