import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readEnvStatus } from "./env-status.ts";
import { isDirectory } from "./is-directory.ts";
import type { EnvStatus } from "./local-types.ts";
import { parseEnvName } from "./env-paths.ts";

/** Every local environment under the state folder, sorted by name. Only looks: never starts a supervisor. */
export async function listLocalEnvironments(stateDir: string): Promise<EnvStatus[]> {
  const envsDir = resolve(stateDir, "envs");
  const names = await readdir(envsDir).catch(() => []);
  const statuses: EnvStatus[] = [];
  for (const name of names.sort()) {
    const envDir = join(envsDir, name);
    if (isEnvName(name) && (await isDirectory(envDir)))
      statuses.push(await readEnvStatus(envDir, name, undefined));
  }
  return statuses;
}

function isEnvName(name: string): boolean {
  try {
    return parseEnvName(name) === name;
  } catch {
    return false;
  }
}
