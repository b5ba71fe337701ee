import type { Command } from "./command.ts";
import type { CliContext } from "./context.ts";
import { UsageError } from "./usage-error.ts";
import { VERSION } from "./version.ts";

/** Dispatches argv to a command; usage errors exit 2 with a pointer to help, failures exit 1 with the reason. */
export async function runCli(argv: string[], ctx: CliContext, commands: readonly Command[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? commands.find((c) => c.name === rest[0]) : undefined;
    ctx.stdout.write((topic ? topic.help : overview(commands, ctx.invokedAs)) + "\n");
    return 0;
  }
  if (name === "--version" || name === "-v") {
    ctx.stdout.write(`aether ${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    ctx.stderr.write(`aether: unknown command "${name}". Run "${ctx.invokedAs} --help" for the list.\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    ctx.stdout.write(command.help + "\n");
    return 0;
  }
  try {
    return await command.run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.stderr.write(`${error.message}\nRun "${ctx.invokedAs} ${command.name} --help" for usage.\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.stderr.write(`${ctx.style.fail("✖")} aether ${command.name}: ${message}\n`);
    return 1;
  }
}

function overview(commands: readonly Command[], invokedAs: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "aether: build, store and deploy apps by content digest",
    "",
    `Usage: ${invokedAs} <command> [options]`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `Every command takes --json and --help. Start with: ${invokedAs} deploy examples/node-express`,
  ].join("\n");
}
