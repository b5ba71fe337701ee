import type { Command } from "../command.ts";
import { buildCommand } from "./build.ts";
import { deployCommand } from "./deploy.ts";
import { destroyCommand } from "./destroy.ts";
import { fetchCommand } from "./fetch.ts";
import { initCommand } from "./init.ts";
import { keygenCommand } from "./keygen.ts";
import { sbomCommand } from "./sbom.ts";
import { verifyCommand } from "./verify.ts";
import { logsCommand } from "./logs.ts";
import { rollbackCommand } from "./rollback.ts";
import { statusCommand } from "./status.ts";

/** Every `aether` subcommand, in the order `aether --help` lists them. */
export const commands: readonly Command[] = [
  deployCommand,
  buildCommand,
  statusCommand,
  logsCommand,
  rollbackCommand,
  destroyCommand,
  initCommand,
  fetchCommand,
  sbomCommand,
  verifyCommand,
  keygenCommand,
];
