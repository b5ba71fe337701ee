import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { lineSplitter } from "./line-splitter.ts";
import type { Redact } from "../redact/redact.ts";
import type { LogWriter } from "./log-writer.ts";

/** How a release process ended: an exit code, a signal, or a failure to start at all. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process never started (command not found, not executable). */
  error?: string;
}

/** One running attempt of a release. */
export interface ReleaseProcess {
  readonly pid: number | undefined;
  readonly port: number;
  /** Epoch ms at spawn. */
  readonly startedAt: number;
  /** Settles once the process has exited and its output has been read. */
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  /** The last lines of the app's output (stdout and stderr), oldest first. */
  tail(): string[];
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs: number): Promise<void>;
}

const TAIL_LINES = 20;
/** After `exit`, how long to wait for the pipes to drain (a grandchild may hold them open forever). */
const DRAIN_MS = 300;

/**
 * Spawns a release in its own process group (`detached`), so stopping it reaches every process it started
 * (`npm start` → node, `sh -c` → python). Output goes line by line to the release log and `onLine`.
 */
export function startReleaseProcess(request: {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  log: LogWriter;
  /** Applied to every line before it is logged, kept or passed on: the app may print its own secrets. */
  redact: Redact;
  onLine?: (line: string) => void;
}): ReleaseProcess {
  const [command, ...args] = request.argv;
  if (command === undefined) throw new Error("a release needs a start command");
  const lines: string[] = [];
  const child = spawn(command, args, {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const startedAt = Date.now();
  let done = false;
  const streams = (["stdout", "stderr"] as const).map((name) => {
    const splitter = lineSplitter((raw) => {
      const line = request.redact(raw);
      request.log.write(name, line);
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      request.onLine?.(line);
    });
    const stream = child[name];
    stream.on("data", (chunk: Buffer) => splitter.push(chunk));
    return new Promise<void>((closed) => stream.once("close", () => closed())).then(() => splitter.end());
  });
  const exited = new Promise<ExitInfo>((settle) => {
    child.once("error", (error) => {
      // An error after spawn (a failed kill) is not an exit; one before it means the command never ran.
      if (child.pid !== undefined) return;
      done = true;
      settle({ code: null, signal: null, error: error.message });
    });
    child.once("exit", (code, signal) => {
      void Promise.race([Promise.all(streams), sleep(DRAIN_MS)]).then(() => {
        done = true;
        settle({ code, signal });
      });
    });
  });
  const pid = child.pid;
  return {
    pid,
    port: request.port,
    startedAt,
    exited,
    hasExited: () => done,
    tail: () => [...lines],
    async stop(graceMs) {
      if (pid === undefined) return;
      if (!done) {
        signalGroup(pid, "SIGTERM");
        await Promise.race([exited, sleep(graceMs)]);
        if (!done)
          request.log.write("aether", `did not stop within ${graceMs} ms of SIGTERM; sending SIGKILL`);
      }
      // Also reaps stragglers: children that outlived the group leader.
      signalGroup(pid, "SIGKILL");
      await exited;
    },
  };
}

/** Signals a whole process group; a group that is already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

/** "exited with code 1", "was killed by SIGKILL", "could not be started: spawn nodee ENOENT". */
export function describeExit(exit: ExitInfo): string {
  if (exit.error !== undefined) return `could not be started: ${exit.error}`;
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? "unknown"}`;
}
