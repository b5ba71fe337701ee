import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { controlJson } from "./control-client.ts";
import { controlSocketPath } from "./control-socket-path.ts";
import { envDirFor, envPaths } from "./env-paths.ts";
import { isDirectory } from "./is-directory.ts";
import { isAlive, isProcessOf, waitUntilGone } from "./process-identity.ts";
import { signalGroup } from "./release-process.ts";
import { readSupervisorRecord } from "./supervisor-record.ts";

/**
 * Removes a local environment: asks its supervisor to stop (it stops every release process and closes the
 * public port), ends whatever a dead supervisor left behind, and deletes the environment folder with its
 * releases, history and logs. Safe to repeat: `existed` is false the second time.
 */
export async function destroyLocal(request: {
  stateDir: string;
  envName: string;
}): Promise<{ existed: boolean }> {
  const envDir = envDirFor(request);
  const socket = controlSocketPath(envDir);
  if (!(await isDirectory(envDir))) {
    await rm(socket, { force: true });
    return { existed: false };
  }
  const record = await readSupervisorRecord(envPaths(envDir).supervisorFile);
  try {
    await controlJson({ socket, method: "POST", path: "/stop", timeoutMs: 30_000 });
  } catch {
    // No supervisor answered: what it left running is ended below.
  }
  if (record) {
    const deadline = Date.now() + 5_000;
    while (isAlive(record.pid) && (await isProcessOf(record.pid, envDir)) && Date.now() < deadline)
      await sleep(25);
    const left: number[] = [];
    for (const pid of [record.pid, ...record.children.map((c) => c.pid)]) {
      if (await isProcessOf(pid, envDir)) left.push(pid);
    }
    for (const pid of left) {
      signalGroup(pid, "SIGKILL");
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
    await waitUntilGone(left, 5_000);
  }
  await rm(envDir, { recursive: true, force: true });
  await rm(socket, { force: true });
  return { existed: true };
}
