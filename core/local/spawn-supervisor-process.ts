import { spawn } from "node:child_process";
import type { LaunchSupervisor } from "./local-types.ts";

/**
 * The usual LaunchSupervisor: runs `nodePath entry envDir` detached from the caller (its own process group,
 * no stdio), so the environment keeps serving after the CLI exits. `entry` is cli/local-supervisor.ts.
 * Resolves once the process exists; rejects if it cannot be spawned at all.
 * @example deployLocal({ …, launchSupervisor: spawnSupervisorProcess(entryPath, process.execPath) })
 */
export function spawnSupervisorProcess(entry: string, nodePath: string): LaunchSupervisor {
  return (envDir) =>
    new Promise<void>((started, failed) => {
      const child = spawn(nodePath, [entry, envDir], { detached: true, stdio: "ignore", cwd: envDir });
      child.once("error", (error) =>
        failed(new Error(`could not start ${nodePath} ${entry}: ${error.message}`)),
      );
      child.once("spawn", () => {
        child.unref();
        started();
      });
    });
}
