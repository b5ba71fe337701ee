import { appendFile } from "node:fs/promises";
import { basename } from "node:path";
import { ChildRegistry } from "./child-registry.ts";
import type { DeployCommand, SupervisorEvent, SupervisorStatus } from "./control-protocol.ts";
import { envPaths, releaseLogFile, type EnvPaths } from "./env-paths.ts";
import { launchRelease, type LaunchableRelease, type LaunchResult } from "./launch-release.ts";
import { PortInUseError } from "./local-errors.ts";
import { openLogWriter, type LogWriter } from "./log-writer.ts";
import { listenPublic } from "./ports.ts";
import {
  activeRelease,
  readHistory,
  withActive,
  writeHistory,
  type StoredRelease,
} from "./release-history.ts";
import { ReleaseKeeper, type Backoff } from "./release-keeper.ts";
import type { ReleaseProcess } from "./release-process.ts";
import { proxyRouteFor } from "./proxy-route-for.ts";
import { createReverseProxy, type ProxyRoute, type ReverseProxy } from "./reverse-proxy.ts";

export interface SupervisorOptions {
  envDir: string;
  socket: string;
  /** The environment release processes inherit (below the manifest's and the user's). */
  baseEnv: Record<string, string | undefined>;
  stopGraceMs: number;
  /** Longest wait for requests still running on the old release before it is stopped. */
  drainMs: number;
  defaultHealthTimeoutMs: number;
  backoff?: Backoff;
}

/**
 * The state of one environment's supervisor: the public proxy, the release it serves (a ReleaseKeeper), the
 * release being deployed, and every child process (recorded in supervisor.json so a successor can end them).
 * Deploys run one at a time; the proxy reads the current release on every request.
 */
export class Supervisor {
  readonly proxy: ReverseProxy;
  readonly paths: EnvPaths;
  private readonly options: SupervisorOptions;
  private readonly envName: string;
  private readonly startedAt = new Date();
  private readonly registry: ChildRegistry;
  private port: number | undefined;
  private keeper: ReleaseKeeper | undefined;
  private deploying: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;
  /** The port a predecessor served on: the environment's URL, kept when possible. */
  private recordedPort: number | undefined;

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.paths = envPaths(options.envDir);
    this.envName = basename(options.envDir);
    this.proxy = createReverseProxy(() => this.route());
    const identity = { pid: process.pid, socket: options.socket, startedAt: this.startedAt.toISOString() };
    this.registry = new ChildRegistry(this.paths.supervisorFile, identity);
  }

  get url(): string | undefined {
    return this.port === undefined ? undefined : `http://127.0.0.1:${this.port}`;
  }

  /** Appends a line to supervisor.log; the supervisor has no terminal. */
  diag(message: string): void {
    void appendFile(this.paths.supervisorLog, `${new Date().toISOString()} ${message}\n`).catch(
      () => undefined,
    );
  }

  /** At start (queued before any deploy): serve the active release again, on the port recorded before. */
  async resume(recordedPort: number | undefined): Promise<void> {
    this.recordedPort = recordedPort;
    const active = activeRelease(await readHistory(this.paths.historyFile));
    if (active === undefined) return this.registry.save();
    this.port = await listenPublic(
      this.proxy.server,
      recordedPort === undefined ? {} : { recorded: recordedPort },
    );
    if (recordedPort !== undefined && this.port !== recordedPort) {
      this.diag(`port ${recordedPort} was taken; the environment now answers on ${this.port}`);
    }
    this.diag(`resuming release ${active.number} at ${this.url ?? ""}`);
    this.keeper = this.keeperFor(active, this.options.defaultHealthTimeoutMs);
    this.keeper.resume();
    await this.registry.setPort(this.port);
  }

  /** Runs `task` after every task queued before it: deploys, and the start-up work, one at a time. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One deploy (or rollback): start beside the current release, wait for health, switch, stop the old. */
  deploy(command: DeployCommand, emit: (event: SupervisorEvent) => void): Promise<void> {
    const received = Date.now();
    return this.enqueue(() =>
      this.deployNow(command, emit, received).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.diag(`deploy failed unexpectedly: ${message}`);
        emit({ type: "error", code: "internal", message });
      }),
    );
  }

  status(): SupervisorStatus {
    const keeper = this.keeper;
    const child = keeper?.process;
    return {
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      ...(this.url === undefined ? {} : { url: this.url }),
      ...(this.deploying === undefined ? {} : { deploying: this.deploying }),
      ...(keeper === undefined
        ? {}
        : {
            current: {
              release: keeper.release.number,
              state: keeper.state,
              restarts: keeper.restarts,
              ...(child?.pid === undefined
                ? {}
                : { pid: child.pid, internalPort: child.port, uptimeMs: Date.now() - child.startedAt }),
            },
          }),
    };
  }

  /** Stops every release process and the proxy, and marks supervisor.json stopped on purpose. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const grace = this.options.stopGraceMs;
    await Promise.all([this.keeper?.stop(), ...this.registry.running.map((child) => child.stop(grace))]);
    await this.proxy.close();
    await this.registry.markStopped();
  }

  private route(): ProxyRoute {
    return proxyRouteFor({ envName: this.envName, keeper: this.keeper, deploying: this.deploying });
  }

  private async deployNow(
    command: DeployCommand,
    emit: (event: SupervisorEvent) => void,
    received: number,
  ): Promise<void> {
    if (this.stopping)
      return emit({ type: "error", code: "stopping", message: "the environment is being stopped" });
    if (this.port === undefined) {
      try {
        this.port = await listenPublic(this.proxy.server, {
          ...(command.port === undefined ? {} : { wish: command.port }),
          ...(this.recordedPort === undefined ? {} : { recorded: this.recordedPort }),
        });
      } catch (error) {
        if (!(error instanceof PortInUseError)) throw error;
        return emit({ type: "error", code: "port-in-use", port: error.port, message: error.message });
      }
      await this.registry.setPort(this.port);
    } else if (command.port !== undefined && command.port !== this.port) {
      const message =
        `environment "${this.envName}" already answers at ${this.url ?? ""}; its port cannot change while it ` +
        `runs (destroy it first to move it to port ${command.port})`;
      return emit({ type: "error", code: "port-conflict", port: command.port, message });
    }
    const url = this.url ?? "";
    emit({ type: "ready", pid: process.pid, url });
    const history = await readHistory(this.paths.historyFile);
    const number = history.reduce((max, r) => Math.max(max, r.number), 0) + 1;
    const release: StoredRelease = {
      number,
      digest: command.digest,
      createdAt: new Date(received).toISOString(),
      status: "failed",
      ...(command.rollbackOf === undefined ? {} : { rollbackOf: command.rollbackOf }),
      releaseDir: command.releaseDir,
      manifest: command.manifest,
      env: command.env,
    };
    const healthTimeoutMs = command.healthTimeoutMs ?? this.options.defaultHealthTimeoutMs;
    const log = openLogWriter(releaseLogFile(this.options.envDir, number));
    this.deploying = number;
    const launchedAt = Date.now();
    const result = await this.launch({ release, log, healthTimeoutMs, emit });
    this.deploying = undefined;
    if (this.stopping) {
      // Stopped while this release started: it must not outlive the supervisor.
      if (result.ok) await result.process.stop(this.options.stopGraceMs);
      await log.close();
      return emit({
        type: "error",
        code: "stopping",
        message: "the environment was stopped during the deploy",
      });
    }
    const previous = this.keeper;
    if (!result.ok) {
      await this.saveHistory([...history, { ...release, reason: result.reason }]);
      await log.close();
      const stillServing = previous ? { stillServing: { release: previous.release.number, url } } : {};
      const { phase, reason, logTail } = result;
      return emit({
        type: "result",
        result: { ok: false, phase, release: number, reason, logTail, ...stillServing },
      });
    }
    const keeper = this.keeperFor({ ...release, status: "active" }, healthTimeoutMs, log);
    keeper.adopt(result.process);
    this.keeper = keeper;
    const replacedAs = command.rollbackOf === undefined ? "superseded" : "rolled-back";
    await this.saveHistory(withActive(history, release, replacedAs));
    const before = previous === undefined ? {} : { previous: previous.release.number };
    emit({ type: "switched", release: number, ...before });
    emit({
      type: "result",
      result: {
        ok: true,
        url,
        release: number,
        ...before,
        timings: { startMs: launchedAt - received + result.startMs, healthyMs: result.healthyMs },
        probes: result.probes,
      },
    });
    if (previous) {
      const old = previous.process;
      if (old) await this.proxy.drain(old.port, this.options.drainMs);
      await previous.stop();
    }
  }

  private launch(request: {
    release: LaunchableRelease;
    log: LogWriter;
    healthTimeoutMs: number;
    emit?: (event: SupervisorEvent) => void;
    onSpawn?: (child: ReleaseProcess) => void;
  }): Promise<LaunchResult> {
    const { release, log, healthTimeoutMs, emit } = request;
    return launchRelease({
      release,
      envDir: this.options.envDir,
      baseEnv: this.options.baseEnv,
      log,
      healthTimeoutMs,
      stopGraceMs: this.options.stopGraceMs,
      ...(emit === undefined ? {} : { onEvent: emit }),
      onSpawn: (child) => {
        this.registry.track(release.number, child);
        request.onSpawn?.(child);
      },
    });
  }

  private keeperFor(release: StoredRelease, healthTimeoutMs: number, log?: LogWriter): ReleaseKeeper {
    const writer = log ?? openLogWriter(releaseLogFile(this.options.envDir, release.number));
    return new ReleaseKeeper({
      release,
      log: writer,
      relaunch: (onSpawn) => this.launch({ release, log: writer, healthTimeoutMs, onSpawn }),
      stopGraceMs: this.options.stopGraceMs,
      ...(this.options.backoff === undefined ? {} : { backoff: this.options.backoff }),
    });
  }

  private async saveHistory(releases: StoredRelease[]): Promise<void> {
    await writeHistory(this.paths.historyFile, releases).catch((error: unknown) => {
      this.diag(`could not write ${this.paths.historyFile}: ${String(error)}`);
    });
  }
}
