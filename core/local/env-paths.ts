import { join, resolve } from "node:path";
import { InvalidEnvNameError } from "./local-errors.ts";

const ENV_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Returns `name` when it is a valid environment name, else throws InvalidEnvNameError. */
export function parseEnvName(name: string): string {
  if (!ENV_NAME.test(name)) throw new InvalidEnvNameError(name);
  return name;
}

/** Where one environment keeps its state; all absolute. */
export interface EnvPaths {
  envDir: string;
  historyFile: string;
  supervisorFile: string;
  /** The supervisor's own diagnostics (plain text), for when it cannot report through its socket. */
  supervisorLog: string;
  logsDir: string;
  releasesDir: string;
}

/**
 * The absolute folder of an environment: `<stateDir>/envs/<envName>`. Validates the name.
 * @example envDirFor({ stateDir: ".aether", envName: "production" })
 */
export function envDirFor(where: { stateDir: string; envName: string }): string {
  return resolve(where.stateDir, "envs", parseEnvName(where.envName));
}

/** The files and folders inside an environment folder. */
export function envPaths(envDir: string): EnvPaths {
  return {
    envDir,
    historyFile: join(envDir, "history.json"),
    supervisorFile: join(envDir, "supervisor.json"),
    supervisorLog: join(envDir, "supervisor.log"),
    logsDir: join(envDir, "logs"),
    releasesDir: join(envDir, "releases"),
  };
}

/** The JSON-lines log of one release (every attempt and crash restart of it). */
export function releaseLogFile(envDir: string, release: number): string {
  return join(envDir, "logs", `${release}.log`);
}
