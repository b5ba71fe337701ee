import { mkdir } from "node:fs/promises";
import { controlStream } from "./control-client.ts";
import { parseSupervisorEvent, type DeployCommand } from "./control-protocol.ts";
import { controlSocketPath } from "./control-socket-path.ts";
import { ensureSupervisor, supervisorStatus } from "./ensure-supervisor.ts";
import { envPaths } from "./env-paths.ts";
import { PortConflictError, PortInUseError, SupervisorUnavailableError } from "./local-errors.ts";
import type { LaunchSupervisor, LocalDeployEvent, LocalDeployResult } from "./local-types.ts";
import { isPortFree } from "./ports.ts";

/**
 * Hands a deploy command to the environment's supervisor (starting one if needed) and relays its progress.
 * Shared by deployLocal and rollbackLocal. Throws PortInUseError, PortConflictError or
 * SupervisorUnavailableError for failures that are not the release's own.
 */
export async function sendDeploy(request: {
  envDir: string;
  command: DeployCommand;
  launchSupervisor: LaunchSupervisor;
  onEvent?: (event: LocalDeployEvent) => void;
}): Promise<LocalDeployResult> {
  const { envDir, command, onEvent } = request;
  const began = Date.now();
  const running = await supervisorStatus(envDir);
  // Checked before anything is created, so a taken port leaves no trace; the supervisor checks again by binding.
  if (running === undefined && command.port !== undefined && !(await isPortFree(command.port))) {
    throw new PortInUseError(command.port);
  }
  await mkdir(envDir, { recursive: true });
  const launched = running
    ? false
    : (await ensureSupervisor({ envDir, launchSupervisor: request.launchSupervisor })).launched;
  const launchMs = launched ? Date.now() - began : 0;
  let result: LocalDeployResult | undefined;
  try {
    for await (const raw of controlStream(controlSocketPath(envDir), "/deploy", command)) {
      const event = parseSupervisorEvent(raw);
      if (event.type === "ready") {
        if (launched) onEvent?.({ type: "supervisor-started", pid: event.pid, url: event.url });
      } else if (event.type === "result") {
        result = event.result;
      } else if (event.type === "error") {
        if (event.code === "port-in-use") throw new PortInUseError(event.port ?? command.port ?? 0);
        if (event.code === "port-conflict") throw new PortConflictError(event.message);
        throw new SupervisorUnavailableError(
          `the supervisor of ${envDir} refused the deploy: ${event.message}`,
        );
      } else {
        onEvent?.(event);
      }
    }
  } catch (error) {
    if (result !== undefined) return withLaunch(result, launchMs);
    if (
      error instanceof PortInUseError ||
      error instanceof PortConflictError ||
      error instanceof SupervisorUnavailableError
    ) {
      throw error;
    }
    throw lost(envDir, error);
  }
  if (result === undefined) throw lost(envDir, undefined);
  return withLaunch(result, launchMs);
}

function withLaunch(result: LocalDeployResult, launchMs: number): LocalDeployResult {
  if (!result.ok || launchMs === 0) return result;
  return { ...result, timings: { ...result.timings, startMs: result.timings.startMs + launchMs } };
}

function lost(envDir: string, cause: unknown): SupervisorUnavailableError {
  return new SupervisorUnavailableError(
    `the supervisor of ${envDir} stopped answering during the deploy; see ${envPaths(envDir).supervisorLog}`,
    { cause },
  );
}
