import { destroyLocal } from "../../core/local/destroy-local.ts";
import type { Command, CommandOptions } from "../command.ts";
import { envOption, parseOptions } from "../parse-options.ts";
import { stateDirOf } from "../context.ts";

const OPTIONS = { env: { type: "string" } } as const satisfies CommandOptions;

export const destroyCommand: Command = {
  name: "destroy",
  options: OPTIONS,
  summary: "stop an environment and remove its releases and logs",
  help: `Usage: aether destroy [options]

Stops the environment's processes, closes its port and removes its releases, history and logs.
Artifacts stay in the store. Safe to repeat.

Options:
  --env NAME     environment (default: production)
  --json         print the result as JSON
  -h, --help     this help

Examples:
  aether destroy
  aether destroy --env pr-42`,
  async run(argv, ctx) {
    const { values } = parseOptions("destroy", argv, OPTIONS);
    const envName = envOption("destroy", values.env);
    const result = await destroyLocal({ stateDir: stateDirOf(ctx), envName });
    if (values.json) ctx.stdout.write(JSON.stringify({ envName, ...result }) + "\n");
    else
      ctx.stdout.write(
        result.existed ? `Destroyed ${envName}.\n` : `Nothing to destroy: ${envName} does not exist.\n`,
      );
    return 0;
  },
};
