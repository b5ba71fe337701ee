import type { CliContext } from "./context.ts";

/** One `aether` subcommand: its help text and what it does. Returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text: usage, options, examples. */
  help: string;
  run(argv: string[], ctx: CliContext): Promise<number>;
}
