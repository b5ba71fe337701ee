import { basename } from "node:path";
import type { CliContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";

/**
 * The repository whose environments `aether db` manages (it is part of every database's name and label):
 * --repository, else GITHUB_REPOSITORY, else `local/<name of the working folder>`.
 */
export function repositoryOf(ctx: CliContext, flag: string | undefined): string {
  const repository = flag ?? ctx.env["GITHUB_REPOSITORY"] ?? `local/${basename(ctx.cwd)}`;
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository))
    throw new UsageError(`aether db: --repository "${repository}" is not OWNER/NAME, such as octo/shop`);
  return repository;
}

/** An environment name as Aether makes them (`pr-123`, `staging`): lowercase letters, digits and dashes. */
export function envArgument(subcommand: string, value: string | undefined): string {
  if (value === undefined)
    throw new UsageError(`aether db ${subcommand}: name the environment, such as pr-123`);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(value))
    throw new UsageError(
      `aether db ${subcommand}: "${value}" is not an environment name (lowercase letters, digits and dashes, at most 63)`,
    );
  return value;
}
