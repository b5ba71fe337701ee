import { formatMs } from "./format-ms.ts";
import type { LaunchResult } from "./launch-release.ts";
import type { LogWriter } from "./log-writer.ts";
import type { StoredRelease } from "./release-history.ts";
import { describeExit, type ReleaseProcess } from "./release-process.ts";

/** Crash-restart timing: the first restart after `initialMs`, doubling to `maxMs`; calm after `resetAfterMs` up. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

export type KeeperState = "up" | "starting" | "restarting" | "down";

/**
 * Keeps one release running: adopts a healthy process (after a deploy) or starts one (a supervisor resuming),
 * and restarts it with exponential backoff whenever it exits on its own. `relaunch` starts a fresh attempt on a
 * new internal port and waits for health. The proxy reads `state` and `process` on every request.
 */
export class ReleaseKeeper {
  readonly release: StoredRelease;
  readonly log: LogWriter;
  private readonly relaunch: (onSpawn: (child: ReleaseProcess) => void) => Promise<LaunchResult>;
  private readonly backoff: Backoff;
  private readonly stopGraceMs: number;
  private current: ReleaseProcess | undefined;
  private spawning: ReleaseProcess | undefined;
  private attempt: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private consecutiveCrashes = 0;
  private stopped = false;
  private restartCount = 0;
  private phase: KeeperState = "starting";
  private restartAt: number | undefined;

  constructor(options: {
    release: StoredRelease;
    log: LogWriter;
    relaunch: (onSpawn: (child: ReleaseProcess) => void) => Promise<LaunchResult>;
    stopGraceMs: number;
    backoff?: Backoff;
  }) {
    this.release = options.release;
    this.log = options.log;
    this.relaunch = options.relaunch;
    this.stopGraceMs = options.stopGraceMs;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get state(): KeeperState {
    return this.phase;
  }
  /** The process serving now (only while `up`). */
  get process(): ReleaseProcess | undefined {
    return this.phase === "up" ? this.current : undefined;
  }
  get restarts(): number {
    return this.restartCount;
  }
  /** Milliseconds until the next restart attempt, while `restarting`. */
  get restartInMs(): number | undefined {
    return this.restartAt === undefined ? undefined : Math.max(0, this.restartAt - Date.now());
  }

  /** Takes over a process that already passed its health check. */
  adopt(child: ReleaseProcess): void {
    this.current = child;
    this.phase = "up";
    this.watch(child);
  }

  /** Starts the release from nothing (a supervisor resuming the active release after its own restart). */
  resume(): void {
    this.attempt = this.tryStart(false);
  }

  /** Stops the release and any attempt in progress; no restart follows. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.restartAt = undefined;
    const stopping = [this.current, this.spawning].flatMap((p) => (p ? [p.stop(this.stopGraceMs)] : []));
    this.phase = "down";
    await Promise.all(stopping);
    await this.attempt;
    await this.log.close();
  }

  private watch(child: ReleaseProcess): void {
    void child.exited.then((exit) => {
      if (this.stopped || this.current !== child) return;
      this.current = undefined;
      const upMs = Date.now() - child.startedAt;
      if (upMs >= this.backoff.resetAfterMs) this.consecutiveCrashes = 0;
      this.log.write(
        "aether",
        `release ${this.release.number} ${describeExit(exit)} after ${formatMs(upMs)} up`,
      );
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.consecutiveCrashes);
    this.consecutiveCrashes += 1;
    this.phase = "restarting";
    this.restartAt = Date.now() + delay;
    this.log.write("aether", `restarting in ${formatMs(delay)} (restart ${this.restartCount + 1})`);
    this.timer = setTimeout(() => {
      this.attempt = this.tryStart(true);
    }, delay);
  }

  private async tryStart(isRestart: boolean): Promise<void> {
    this.restartAt = undefined;
    if (this.stopped) return;
    if (isRestart) this.restartCount += 1;
    const result = await this.relaunch((child) => (this.spawning = child));
    this.spawning = undefined;
    if (this.stopped) {
      if (result.ok) await result.process.stop(this.stopGraceMs);
      return;
    }
    if (result.ok) {
      this.adopt(result.process);
      return;
    }
    this.scheduleRestart();
  }
}
