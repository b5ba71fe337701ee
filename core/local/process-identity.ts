import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { isErrno } from "./is-errno.ts";

/**
 * True while a process with this pid exists, may be signalled by us, and is not a zombie (exited, waiting
 * to be reaped: a parent that never reaps, or a container whose pid 1 does not, leaves those around).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; comm may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // Gone between the two looks, or a system without /proc (where liveness is all we can know).
    return !existsSync("/proc/self");
  }
}

/**
 * True when `pid` is alive and belongs to the environment at `envDir`: a supervisor started with the folder
 * in its argv, or a release started with AETHER_ENV_DIR set to it. Guards against signalling an unrelated
 * process that reused a recorded pid (after a reboot). Where /proc does not exist (macOS), liveness is all
 * that can be checked.
 */
export async function isProcessOf(pid: number, envDir: string): Promise<boolean> {
  if (pid === process.pid || !isAlive(pid)) return false;
  if (!existsSync("/proc/self")) return true;
  try {
    const [cmdline, environ] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, "utf8"),
      readFile(`/proc/${pid}/environ`, "utf8"),
    ]);
    return cmdline.split("\0").includes(envDir) || environ.split("\0").includes(`AETHER_ENV_DIR=${envDir}`);
  } catch (error) {
    if (isErrno(error, "ENOENT") || isErrno(error, "EACCES") || isErrno(error, "ESRCH")) return false;
    throw error;
  }
}

/** Waits until none of `pids` is alive (a signal takes a moment to land), or `maxMs` passed. */
export async function waitUntilGone(pids: readonly number[], maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(20);
}
