import { envDirFor } from "./env-paths.ts";
import { isDirectory } from "./is-directory.ts";
import { UnknownEnvironmentError } from "./local-errors.ts";
import type { EnvStatus, LaunchSupervisor } from "./local-types.ts";
import { readEnvStatus } from "./env-status.ts";

/**
 * The state of one local environment: URL, whether its supervisor runs, the release it serves (with pid,
 * restarts and uptime) and its history, newest first. Given `launchSupervisor`, a supervisor that died
 * without being stopped (crash, reboot) is started again first, and resumes the active release.
 */
export async function localStatus(request: {
  stateDir: string;
  envName: string;
  launchSupervisor?: LaunchSupervisor;
}): Promise<EnvStatus> {
  const envDir = envDirFor(request);
  if (!(await isDirectory(envDir))) throw new UnknownEnvironmentError(request.envName, envDir);
  return readEnvStatus(envDir, request.envName, request.launchSupervisor);
}
