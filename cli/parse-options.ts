import type { ParseArgsConfig } from "node:util";
import { UsageError } from "./usage-error.ts";

// `import … from "node:util"` builds an ES module facade that reads every export, waking util's lazy
// getters (TextDecoder, MIMEType …): ~9 ms of every CLI start. The module itself is already loaded.
const { parseArgs } = process.getBuiltinModule("node:util");

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/**
 * parseArgs with strict checking, turning its errors into a UsageError that names the command.
 * @example parseOptions("deploy", argv, { port: { type: "string" } })
 */
export function parseOptions<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`aether ${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A positive integer option (`--port 4100`, `--tail 50`), with an error that names the flag. */
export function intOption(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`aether ${command}: --${flag} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}

/** `--env` names an environment: lowercase letters, digits and dashes, as URLs and namespaces allow. */
export function envOption(command: string, value: string | undefined): string {
  const env = value ?? "production";
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(env)) {
    throw new UsageError(
      `aether ${command}: --env "${env}" is not a valid environment name (lowercase letters, digits and dashes, at most 63)`,
    );
  }
  return env;
}

/**
 * Flags that only mean something with `--target kubernetes` are refused on the local target, naming the first
 * one given, so a mistyped target never silently ignores them.
 */
export function refuseKubeOnlyFlags(
  command: string,
  values: Readonly<Record<string, unknown>>,
  kubeOnly: readonly string[],
): void {
  const flag = kubeOnly.find((name) => values[name] !== undefined);
  if (flag !== undefined) throw new UsageError(`aether ${command}: --${flag} needs --target kubernetes`);
}
