import { chmod, mkdir, rm, stat } from "node:fs/promises";
import type { Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { controlJson } from "./control-client.ts";
import { createControlServer } from "./control-server.ts";
import { controlSocketPath } from "./control-socket-path.ts";
import { envPaths } from "./env-paths.ts";
import { isErrno } from "./is-errno.ts";
import { isAlive, isProcessOf, waitUntilGone } from "./process-identity.ts";
import type { Backoff } from "./release-keeper.ts";
import { signalGroup } from "./release-process.ts";
import { Supervisor } from "./supervisor.ts";
import { readSupervisorRecord, type SupervisorRecord } from "./supervisor-record.ts";

export interface RunSupervisorOptions {
  /** Absolute path of the environment folder. */
  envDir: string;
  /** The environment release processes inherit (the entry passes process.env). */
  baseEnv: Record<string, string | undefined>;
  /** Aborting stops the supervisor as POST /stop does (the entry wires SIGTERM and SIGINT to it). */
  signal?: AbortSignal;
  /** SIGTERM → SIGKILL grace when stopping a release; default 5 s. */
  stopGraceMs?: number;
  /** Longest wait for requests in flight on the old release after a switch; default 10 s. */
  drainMs?: number;
  /** Health deadline when resuming a release after a restart; default 30 s. */
  healthTimeoutMs?: number;
  /** How often to check that the environment folder still exists; default 500 ms. */
  watchIntervalMs?: number;
  backoff?: Backoff;
}

/**
 * The body of an environment's supervisor process: takes over the control socket, ends what a crashed
 * predecessor left running, resumes the active release on the recorded port, then serves until POST /stop,
 * `signal`, or the removal of the environment folder. Resolves with the reason it stopped.
 */
export async function runSupervisor(options: RunSupervisorOptions): Promise<{ reason: string }> {
  const { envDir } = options;
  const paths = envPaths(envDir);
  await mkdir(paths.logsDir, { recursive: true });
  const socket = controlSocketPath(envDir);
  const supervisor = new Supervisor({
    envDir,
    socket,
    baseEnv: options.baseEnv,
    stopGraceMs: options.stopGraceMs ?? 5_000,
    drainMs: options.drainMs ?? 10_000,
    defaultHealthTimeoutMs: options.healthTimeoutMs ?? 30_000,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  });
  let finish: (reason: string) => void = () => undefined;
  const finished = new Promise<string>((done) => (finish = done));
  const control = createControlServer({
    status: () => supervisor.status(),
    deploy: (command, emit) => supervisor.deploy(command, emit),
    stop: () => supervisor.stop(),
    stopAnswered: () => finish("stopped by request"),
  });
  // Queued before the socket can answer: a deploy that arrives as soon as it answers then waits for the
  // predecessor's leftovers to be gone and the active release to be resumed, instead of being ended by them.
  let claimed: (won: boolean) => void = () => undefined;
  const claim = new Promise<boolean>((done) => (claimed = done));
  const startUp = supervisor.enqueue(async () => {
    if (!(await claim)) return;
    const previous = await readSupervisorRecord(paths.supervisorFile);
    if (previous) await endPredecessor(previous, envDir, options.stopGraceMs ?? 5_000);
    await supervisor.resume(previous?.port).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      supervisor.diag(`could not resume the active release: ${message}`);
    });
  });
  // The socket is the lock: whoever binds it supervises the environment; only the winner cleans up.
  const won = await claimSocket(control, socket).catch((error: unknown) => {
    claimed(false);
    throw error;
  });
  claimed(won);
  if (!won) {
    await startUp;
    return { reason: "another supervisor already serves this environment" };
  }
  await chmod(socket, 0o600).catch(() => undefined);
  supervisor.diag(`supervisor ${process.pid} listening on ${socket}`);

  const watch = setInterval(() => {
    stat(envDir).catch((error: unknown) => {
      if (isErrno(error, "ENOENT")) finish("environment folder removed");
    });
  }, options.watchIntervalMs ?? 500);
  const onAbort = (): void => finish("signalled");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) onAbort();

  const reason = await finished;
  clearInterval(watch);
  options.signal?.removeEventListener("abort", onAbort);
  supervisor.diag(`supervisor ${process.pid} stopping: ${reason}`);
  await supervisor.stop();
  await new Promise<void>((done) => {
    control.close(() => done());
    control.closeAllConnections();
  });
  await rm(socket, { force: true });
  return { reason };
}

/**
 * Binds the control socket unless a live supervisor holds it. A socket file nobody answers on is what a dead
 * supervisor leaves; it is removed and bound again. (Two successors racing over the same stale file remain
 * possible in principle; both would need to start within the same few milliseconds after a crash.)
 */
async function claimSocket(server: Server, socket: string): Promise<boolean> {
  try {
    await listenOnSocket(server, socket);
    return true;
  } catch (error) {
    if (!isErrno(error, "EADDRINUSE")) throw error;
  }
  if (await answers(socket)) return false;
  await rm(socket, { force: true });
  try {
    await listenOnSocket(server, socket);
    return true;
  } catch (error) {
    if (isErrno(error, "EADDRINUSE")) return false;
    throw error;
  }
}

async function answers(socket: string): Promise<boolean> {
  try {
    await controlJson({ socket, method: "GET", path: "/status", timeoutMs: 1_000 });
    return true;
  } catch {
    return false;
  }
}

/** A predecessor that died (SIGKILL, OOM) leaves its release processes running and maybe itself hung. */
async function endPredecessor(record: SupervisorRecord, envDir: string, graceMs: number): Promise<void> {
  const targets: number[] = [];
  for (const pid of [record.pid, ...record.children.map((c) => c.pid)]) {
    if (await isProcessOf(pid, envDir)) targets.push(pid);
  }
  if (targets.length === 0) return;
  const signal = (name: NodeJS.Signals): void => {
    for (const pid of targets) {
      signalGroup(pid, name);
      if (isAlive(pid)) process.kill(pid, name);
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (targets.some(isAlive) && Date.now() < deadline) await sleep(50);
  signal("SIGKILL");
  await waitUntilGone(targets, 2_000);
}

function listenOnSocket(server: Server, socket: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(socket, () => {
      server.off("error", fail);
      done();
    });
  });
}
