import { rollbackLocal } from "../../core/local/rollback-local.ts";
import type { Command, CommandOptions } from "../command.ts";
import { envOption, intOption, parseOptions } from "../parse-options.ts";
import { pipelineDeps } from "../pipeline-deps.ts";

const OPTIONS = {
  env: { type: "string" },
  to: { type: "string" },
  "health-timeout": { type: "string" },
} as const satisfies CommandOptions;

export const rollbackCommand: Command = {
  name: "rollback",
  options: OPTIONS,
  summary: "serve an earlier release again",
  help: `Usage: aether rollback [options]

Starts an earlier release beside the current one and switches over once it is healthy, as a new
release (history only grows). Default: the previous release that served a different artifact.

Options:
  --env NAME            environment (default: production)
  --to N                release number to go back to
  --health-timeout S    seconds to wait for the health path (default: 30)
  --json                print the result as JSON
  -h, --help            this help

Examples:
  aether rollback
  aether rollback --env staging --to 3`,
  async run(argv, ctx) {
    const { values } = parseOptions("rollback", argv, OPTIONS);
    const envName = envOption("rollback", values.env);
    const to = intOption("rollback", "to", values.to);
    const health = intOption("rollback", "health-timeout", values["health-timeout"]);
    const { stateDir, launchSupervisor } = pipelineDeps(ctx, undefined);
    const result = await rollbackLocal({
      stateDir,
      envName,
      launchSupervisor,
      ...(to === undefined ? {} : { to }),
      ...(health === undefined ? {} : { healthTimeoutMs: health * 1000 }),
    });
    if (values.json) {
      ctx.stdout.write(JSON.stringify({ envName, ...result }, null, 2) + "\n");
    } else if (result.ok) {
      ctx.stdout.write(
        `  ${ctx.style.ok("✔")} ${envName} now serves release ${result.release}` +
          `${result.previous === undefined ? "" : ` (was ${result.previous})`} at ${ctx.style.accent(result.url)}\n`,
      );
    } else {
      ctx.stdout.write(`  ${ctx.style.fail("✖")} rollback failed (${result.phase}): ${result.reason}\n`);
      for (const line of result.logTail) ctx.stdout.write(`    ${line}\n`);
      if (result.stillServing) {
        ctx.stdout.write(
          `  Release ${result.stillServing.release} still serves ${result.stillServing.url}.\n`,
        );
      }
    }
    return result.ok ? 0 : 1;
  },
};
