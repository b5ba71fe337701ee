import type { CliContext } from "../../cli/context.ts";
import { createStyle } from "../../cli/present/style.ts";

/** A CLI context whose output is kept in strings, for running a command in-process. */
export function memoryCliContext(where: { cwd?: string; env?: Record<string, string | undefined> } = {}): {
  ctx: CliContext;
  out: { stdout: string; stderr: string };
} {
  const out = { stdout: "", stderr: "" };
  const ctx: CliContext = {
    cwd: where.cwd ?? "/",
    env: where.env ?? {},
    stdout: { write: (t) => (out.stdout += t) },
    stderr: { write: (t) => (out.stderr += t) },
    interactive: false,
    style: createStyle(false),
    invokedAs: "aether",
    clock: () => 0,
    execPath: process.execPath,
    addSecrets: () => undefined,
  };
  return { ctx, out };
}
