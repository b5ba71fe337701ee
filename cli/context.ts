import { resolve } from "node:path";
import { createRedactor } from "../core/redact/redact.ts";
import { createStyle, type Style } from "./present/style.ts";
import type { Output } from "./present/progress-renderer.ts";

/** What every command is handed: the process's streams, environment and working folder, read once here. */
export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** A person is watching a terminal: live progress and colour. */
  interactive: boolean;
  style: Style;
  /** How to tell the user to run us again: `aether`, or `./aether` from a checkout. */
  invokedAs: string;
  clock: () => number;
  /** The node binary running us, for the supervisor process. */
  execPath: string;
  /** Values from here on hidden in everything written to stdout and stderr (`--set` values, tokens). */
  addSecrets(values: Iterable<string>): void;
}

export function createCliContext(): CliContext {
  const stdoutTty = process.stdout.isTTY === true;
  const ci = process.env["CI"] === "true" || process.env["CI"] === "1";
  const color = stdoutTty && !ci && process.env["NO_COLOR"] === undefined && process.env["TERM"] !== "dumb";
  // Every byte the CLI prints goes through the one redaction function: known values and credential shapes.
  const secrets = new Set<string>();
  let redact = createRedactor(secrets);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: {
      write: (text) => void process.stdout.write(redact(text)),
      ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    },
    stderr: { write: (text) => void process.stderr.write(redact(text)) },
    addSecrets(values) {
      for (const value of values) secrets.add(value);
      redact = createRedactor(secrets);
    },
    interactive: stdoutTty && !ci,
    style: createStyle(color),
    invokedAs: process.env["AETHER_INVOKED_AS"] ?? "aether",
    clock: () => performance.now(),
    execPath: process.execPath,
  };
}

/** `.aether` in the working folder unless AETHER_STATE_DIR says otherwise. */
export function stateDirOf(ctx: CliContext): string {
  return resolve(ctx.cwd, ctx.env["AETHER_STATE_DIR"] ?? ".aether");
}
