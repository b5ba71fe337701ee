import type { CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";

/** Every flag of `aether db` (each subcommand uses some; the others are refused by it). */
export const DB_OPTIONS = {
  server: { type: "string" },
  repository: { type: "string" },
  store: { type: "string" },
  from: { type: "string" },
  "print-url": { type: "boolean" },
  ttl: { type: "string" },
  migrations: { type: "string" },
  seed: { type: "string" },
  "schema-from": { type: "string" },
  retain: { type: "string" },
} as const satisfies CommandOptions;

export type DbValues = ReturnType<typeof parseDbOptions>["values"];

export function parseDbOptions(argv: string[]) {
  return parseOptions("db", argv, DB_OPTIONS);
}

/** Which flags each subcommand takes, besides --server, --repository, --json and --help. */
export const SUBCOMMAND_FLAGS: Record<string, ReadonlyArray<keyof typeof DB_OPTIONS>> = {
  list: [],
  create: ["print-url", "ttl", "migrations", "seed", "schema-from"],
  reset: ["print-url", "ttl", "migrations", "seed", "schema-from"],
  destroy: [],
  backup: ["store", "retain"],
  restore: ["store", "from"],
  stop: [],
};
