import { ensureSupervisor, supervisorStatus } from "./ensure-supervisor.ts";
import { envPaths } from "./env-paths.ts";
import type { CurrentRelease, EnvStatus, LaunchSupervisor } from "./local-types.ts";
import { activeRelease, publicRecord, readHistory } from "./release-history.ts";
import { readSupervisorRecord } from "./supervisor-record.ts";

/**
 * Assembles an environment's status from its files and, when it answers, its supervisor. With `launch`, a
 * supervisor that died without being stopped on purpose is started again (it resumes the active release).
 */
export async function readEnvStatus(
  envDir: string,
  envName: string,
  launch: LaunchSupervisor | undefined,
): Promise<EnvStatus> {
  const paths = envPaths(envDir);
  const history = await readHistory(paths.historyFile);
  const active = activeRelease(history);
  let live = await supervisorStatus(envDir);
  if (live === undefined && launch !== undefined && active !== undefined) {
    const record = await readSupervisorRecord(paths.supervisorFile);
    if (record?.stoppedAt === undefined)
      live = (await ensureSupervisor({ envDir, launchSupervisor: launch })).status;
  }
  const record = await readSupervisorRecord(paths.supervisorFile);
  const url = live?.url ?? (record?.port === undefined ? undefined : `http://127.0.0.1:${record.port}`);
  let current: CurrentRelease | undefined;
  if (active) {
    const proc = live?.current?.release === active.number ? live.current : undefined;
    current = {
      release: active.number,
      digest: active.digest,
      ...(active.rollbackOf === undefined ? {} : { rollbackOf: active.rollbackOf }),
      state: proc?.state ?? "down",
      restarts: proc?.restarts ?? 0,
      ...(proc?.pid === undefined ? {} : { pid: proc.pid }),
      ...(proc?.internalPort === undefined ? {} : { internalPort: proc.internalPort }),
      ...(proc?.uptimeMs === undefined ? {} : { uptimeMs: proc.uptimeMs }),
    };
  }
  return {
    envName,
    envDir,
    ...(url === undefined ? {} : { url }),
    running: live !== undefined,
    ...(live === undefined
      ? {}
      : { supervisorPid: live.pid, supervisorUptimeMs: Date.now() - Date.parse(live.startedAt) }),
    ...(current === undefined ? {} : { current }),
    ...(live?.deploying === undefined ? {} : { deploying: live.deploying }),
    history: history.map(publicRecord).reverse(),
  };
}
