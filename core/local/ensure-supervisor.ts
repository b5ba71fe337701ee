import { setTimeout as sleep } from "node:timers/promises";
import { controlJson } from "./control-client.ts";
import { parseSupervisorStatus, type SupervisorStatus } from "./control-protocol.ts";
import { controlSocketPath } from "./control-socket-path.ts";
import { envPaths } from "./env-paths.ts";
import { SupervisorUnavailableError } from "./local-errors.ts";
import type { LaunchSupervisor } from "./local-types.ts";

/** The status of the environment's supervisor, or undefined when none answers on its socket. */
export async function supervisorStatus(
  envDir: string,
  timeoutMs = 2_000,
): Promise<SupervisorStatus | undefined> {
  try {
    const raw = await controlJson({
      socket: controlSocketPath(envDir),
      method: "GET",
      path: "/status",
      timeoutMs,
    });
    return parseSupervisorStatus(raw);
  } catch {
    return undefined;
  }
}

/**
 * Returns the running supervisor of an environment, launching one when none answers (first deploy, or its
 * predecessor died: the new one resumes the active release by itself) and waiting until its socket answers.
 */
export async function ensureSupervisor(request: {
  envDir: string;
  launchSupervisor: LaunchSupervisor;
  timeoutMs?: number;
}): Promise<{ status: SupervisorStatus; launched: boolean }> {
  const running = await supervisorStatus(request.envDir);
  if (running) return { status: running, launched: false };
  const timeoutMs = request.timeoutMs ?? 10_000;
  await request.launchSupervisor(request.envDir);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await supervisorStatus(request.envDir, 1_000);
    if (status) return { status, launched: true };
    await sleep(50);
  }
  throw new SupervisorUnavailableError(
    `the supervisor of ${request.envDir} did not answer on ${controlSocketPath(request.envDir)} within ` +
      `${timeoutMs / 1000} s; see ${envPaths(request.envDir).supervisorLog} for what went wrong`,
  );
}
