import { loadAllCommands, loadCommand } from "./commands/index.ts";
import { createCliContext } from "./context.ts";
import { runCli } from "./run-cli.ts";

const argv = process.argv.slice(2);
// Only the command asked for is loaded; help and unknown names need the whole list, --version none.
const only = await loadCommand(argv[0]);
const version = argv[0] === "--version" || argv[0] === "-v";
const commands = only ? [only] : version ? [] : await loadAllCommands();
process.exitCode = await runCli(argv, createCliContext(), commands);
