import type { ParseArgsConfig } from "node:util";
import type { CliContext } from "./context.ts";

/** The flags a command declares (besides the common --json and --help), as node:util parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

/** One `aether` subcommand: its help text and what it does. Returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Its flags: one list, parsed by run() and checked against --help and the config reference by a test. */
  options: CommandOptions;
  /** Full `--help` text: usage, options, examples. */
  help: string;
  run(argv: string[], ctx: CliContext): Promise<number>;
}
