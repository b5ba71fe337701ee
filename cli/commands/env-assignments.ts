import { UsageError } from "../usage-error.ts";

/** `-e KEY=VALUE` flags into an environment object, refusing malformed names up front. */
export function parseEnvAssignments(assignments: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    const key = eq === -1 ? assignment : assignment.slice(0, eq);
    if (eq === -1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new UsageError(`aether: --set "${key}" must be KEY=VALUE with KEY made of letters, digits and _`);
    }
    env[key] = assignment.slice(eq + 1);
  }
  return env;
}
