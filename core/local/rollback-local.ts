import { envDirFor, envPaths } from "./env-paths.ts";
import { isDirectory } from "./is-directory.ts";
import { RollbackRefusedError, UnknownEnvironmentError } from "./local-errors.ts";
import type { LaunchSupervisor, LocalDeployEvent, LocalDeployResult } from "./local-types.ts";
import { activeRelease, readHistory, type StoredRelease } from "./release-history.ts";
import { sendDeploy } from "./send-deploy.ts";

/**
 * Serves an earlier release again, as a NEW release (history only grows) with `rollbackOf` naming the one it
 * runs again; the release it replaces is marked `rolled-back`. By default the target is the newest earlier
 * release that served and runs a different artifact than the current one. Same zero-downtime switch as a
 * deploy, with the environment and user env that release had. Throws RollbackRefusedError when there is
 * nothing to go back to, the target never served, or its folder is gone.
 */
export async function rollbackLocal(request: {
  stateDir: string;
  envName: string;
  /** Release number to go back to; default: the previous good release. */
  to?: number;
  healthTimeoutMs?: number;
  launchSupervisor: LaunchSupervisor;
  onEvent?: (event: LocalDeployEvent) => void;
}): Promise<LocalDeployResult> {
  const { envName } = request;
  const envDir = envDirFor(request);
  if (!(await isDirectory(envDir))) throw new UnknownEnvironmentError(envName, envDir);
  const history = await readHistory(envPaths(envDir).historyFile);
  const target = chooseTarget(history, envName, request.to);
  if (!(await isDirectory(target.releaseDir))) {
    throw new RollbackRefusedError(
      `cannot roll "${envName}" back to release ${target.number}: its folder ${target.releaseDir} is gone; ` +
        `deploy that version again instead`,
    );
  }
  return sendDeploy({
    envDir,
    command: {
      digest: target.digest,
      manifest: target.manifest,
      releaseDir: target.releaseDir,
      env: target.env,
      rollbackOf: target.number,
      ...(request.healthTimeoutMs === undefined ? {} : { healthTimeoutMs: request.healthTimeoutMs }),
    },
    launchSupervisor: request.launchSupervisor,
    ...(request.onEvent === undefined ? {} : { onEvent: request.onEvent }),
  });
}

function chooseTarget(history: StoredRelease[], envName: string, to: number | undefined): StoredRelease {
  const active = activeRelease(history);
  if (to !== undefined) {
    const wanted = history.find((r) => r.number === to);
    if (wanted === undefined) {
      const known =
        history.length === 0 ? "it has no releases" : `its releases are 1 to ${history.at(-1)?.number ?? 0}`;
      throw new RollbackRefusedError(`"${envName}" has no release ${to} (${known})`);
    }
    if (wanted.status === "active")
      throw new RollbackRefusedError(`release ${to} is already serving "${envName}"`);
    if (wanted.status === "failed") {
      throw new RollbackRefusedError(
        `release ${to} of "${envName}" never served (it failed); pick one that did`,
      );
    }
    return wanted;
  }
  const candidates = history.filter(
    (r) =>
      (r.status === "superseded" || r.status === "rolled-back") &&
      (active === undefined || (r.number < active.number && r.digest !== active.digest)),
  );
  const target = candidates.at(-1);
  if (target === undefined) {
    const only =
      active === undefined
        ? "no release has served yet"
        : `release ${active.number} is the only one that served`;
    throw new RollbackRefusedError(`nothing to roll "${envName}" back to: ${only}`);
  }
  return target;
}
