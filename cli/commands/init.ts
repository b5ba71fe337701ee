import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { initTemplate } from "../../core/runtimes/init-template.ts";
import type { Command, CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";

const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

const OPTIONS = { template: { type: "string" } } as const satisfies CommandOptions;

export const initCommand: Command = {
  name: "init",
  options: OPTIONS,
  summary: "start a new app from one of the example templates",
  help: `Usage: aether init --template NAME [dir]

Copies an example app (node-express, python, go, java, static) into dir (default: a folder named
after the template). The folder must be new or empty.

Options:
  --template NAME   which example to copy
  --json            print the result as JSON
  -h, --help        this help

Examples:
  aether init --template node-express my-api
  aether init --template static site && aether deploy site`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("init", argv, OPTIONS);
    if (!values.template)
      throw new UsageError("aether init: --template NAME is required (try --template node-express)");
    const destination = resolve(ctx.cwd, positionals[0] ?? values.template);
    await initTemplate({ template: values.template, destination, examplesDir: EXAMPLES_DIR });
    if (values.json) ctx.stdout.write(JSON.stringify({ template: values.template, destination }) + "\n");
    else {
      ctx.stdout.write(
        `  ${ctx.style.ok("✔")} ${values.template} copied to ${destination}\n  Next: ${ctx.invokedAs} deploy ${positionals[0] ?? values.template}\n`,
      );
    }
    return 0;
  },
};
