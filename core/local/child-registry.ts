import type { ReleaseProcess } from "./release-process.ts";
import { writeSupervisorRecord, type SupervisorRecord } from "./supervisor-record.ts";

/**
 * The release processes a supervisor has running, mirrored into supervisor.json with its pid, socket and
 * public port, so that a successor can end them if this supervisor dies without stopping them.
 */
export class ChildRegistry {
  private readonly file: string;
  private readonly identity: Pick<SupervisorRecord, "pid" | "socket" | "startedAt">;
  private readonly children = new Map<ReleaseProcess, number>();
  private port: number | undefined;
  private frozen = false;
  private writes: Promise<void> = Promise.resolve();

  constructor(file: string, identity: Pick<SupervisorRecord, "pid" | "socket" | "startedAt">) {
    this.file = file;
    this.identity = identity;
  }

  /** Every tracked process that has not exited. */
  get running(): ReleaseProcess[] {
    return [...this.children.keys()].filter((child) => !child.hasExited());
  }

  /** Tracks a new release process until it exits. */
  track(release: number, child: ReleaseProcess): void {
    this.children.set(child, release);
    void this.save();
    void child.exited.then(() => {
      this.children.delete(child);
      void this.save();
    });
  }

  setPort(port: number): Promise<void> {
    this.port = port;
    return this.save();
  }

  /** Rewrites supervisor.json; after `markStopped` it no longer changes. */
  save(): Promise<void> {
    return this.frozen ? this.writes : this.write({});
  }

  /** Records that the supervisor stopped on purpose, so nobody brings it back unasked. */
  markStopped(): Promise<void> {
    const last = this.write({ stoppedAt: new Date().toISOString() });
    this.frozen = true;
    return last;
  }

  private write(extra: Pick<SupervisorRecord, "stoppedAt">): Promise<void> {
    // Chained, so an older snapshot never overwrites a newer one.
    this.writes = this.writes.then(async () => {
      const record: SupervisorRecord = {
        ...this.identity,
        ...(this.port === undefined ? {} : { port: this.port }),
        ...extra,
        children: [...this.children].flatMap(([child, release]) =>
          child.pid === undefined || child.hasExited() ? [] : [{ release, pid: child.pid }],
        ),
      };
      // A failed write (the environment folder removed) loses nothing the supervisor needs.
      await writeSupervisorRecord(this.file, record).catch(() => undefined);
    });
    return this.writes;
  }
}
