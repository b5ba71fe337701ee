/**
 * The local deploy target: an artifact runs as a supervised process on the user's machine, behind a URL
 * that stays the same across releases.
 *
 * Design, and the decisions behind it:
 * - State lives in `<stateDir>/envs/<env>/`: history.json (releases, mode 0600 because it keeps the
 *   user's env to restart them), supervisor.json (pid, socket, public port, live release pids),
 *   supervisor.log (the supervisor's own diagnostics), logs/<release>.log (JSON lines {t, stream, line};
 *   every attempt and crash restart of a release goes to its file) and releases/<hex of digest>/ (the
 *   pipeline extracts there: releaseDirFor). State files are replaced atomically (temp file + rename).
 * - One detached supervisor process per environment (cli/local-supervisor.ts → runSupervisor) owns the
 *   public port (127.0.0.1 only) and a reverse proxy to the current release's internal port. It is the only
 *   writer of history.json and supervisor.json; the library functions talk to it over HTTP on a unix
 *   socket (<envDir>/control.sock, or a hashed name in the temp folder when that path is too long).
 *   Binding that socket is the lock: a second supervisor started for the same environment leaves.
 * - A deploy starts the new release on an OS-chosen internal port with PORT set, probes its health path
 *   (100 ms rising to 500 ms, until the deadline; an exit fails at once), switches the proxy, waits for the
 *   requests still running on the old release (up to 10 s), then stops it: SIGTERM to its process group,
 *   SIGKILL after 5 s. A failed release never takes the URL; it is recorded as failed with its reason.
 *   Deploys to one environment run one at a time, in arrival order.
 * - History only grows: a rollback is a new release with `rollbackOf`; the release it replaces becomes
 *   rolled-back (a deploy makes it superseded).
 * - The proxy answers 503 while the first release starts and 502 when none runs (crashed, failed, none);
 *   WebSocket and other upgrades are tunnelled. Crash restarts back off from 0.5 s doubling to 30 s, and
 *   calm down after 60 s up; restarts are counted in the status.
 * - Public port: the wish if given (PortInUseError when taken), else the port recorded for the
 *   environment, else the first free port from 4100. A different wish for a running environment is a
 *   PortConflictError: the URL does not move under its users.
 * - Manifest env values: each path-list segment starting with "." is resolved against the release folder
 *   (PYTHONPATH=.deps → <release>/.deps); user env is passed as given; PORT, AETHER_ENV_DIR and
 *   AETHER_RELEASE are set by Aether. Releases inherit the supervisor's environment (the CLI's), with the
 *   directory of the running node first on PATH, so `node` means the Node that runs Aether.
 * - Crash recovery: a supervisor that died (SIGKILL, reboot) is replaced by the next deploy, rollback or
 *   status (given a launcher); the successor ends what its predecessor left running (checked against
 *   /proc so a reused pid is never signalled), then resumes the active release on the recorded port.
 *   A supervisor exits after POST /stop, on SIGTERM/SIGINT, and when its environment folder disappears.
 */
export { deployLocal, type LocalDeployRequest } from "./deploy-local.ts";
export { destroyLocal } from "./destroy-local.ts";
export { envDirFor, parseEnvName } from "./env-paths.ts";
export { listLocalEnvironments } from "./list-local-environments.ts";
export {
  InvalidEnvNameError,
  InvalidReleaseError,
  PortConflictError,
  PortInUseError,
  RollbackRefusedError,
  SupervisorUnavailableError,
  UnknownEnvironmentError,
} from "./local-errors.ts";
export { localStatus } from "./local-status.ts";
export type {
  CurrentRelease,
  EnvStatus,
  LaunchSupervisor,
  LocalDeployEvent,
  LocalDeployResult,
} from "./local-types.ts";
export type { LogLine, LogStream } from "./log-writer.ts";
export { readLocalLogs, type ReadLocalLogsRequest } from "./read-local-logs.ts";
export type { ReleaseRecord, ReleaseStatus } from "./release-history.ts";
export { releaseDirFor } from "./release-dir-for.ts";
export { rollbackLocal } from "./rollback-local.ts";
export { runSupervisor, type RunSupervisorOptions } from "./run-supervisor.ts";
export { spawnSupervisorProcess } from "./spawn-supervisor-process.ts";
