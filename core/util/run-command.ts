import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { constants } from "node:os";
import type { RunCommand } from "../runtimes/runtime.ts";

/** Combined output kept per command; older output is dropped so a chatty build cannot exhaust memory. */
const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

/** The program of a command could not be found (spawn's ENOENT), with where it was looked for. */
export class CommandNotFoundError extends Error {
  readonly command: string;
  constructor(command: string, searchPath: string, options?: { cause?: unknown }) {
    super(
      `"${command}" was not found on PATH (${searchPath || "PATH is empty"}). ` +
        `Install it, or put the folder that holds it on PATH.`,
      options,
    );
    this.name = "CommandNotFoundError";
    this.command = command;
  }
}

/** The folder a command should run in does not exist. */
export class CommandFolderError extends Error {
  constructor(cwd: string, argv: string[]) {
    super(`cannot run "${argv.join(" ")}": the folder ${cwd} does not exist or is not a folder`);
    this.name = "CommandFolderError";
  }
}

/**
 * Makes a RunCommand that spawns programs directly (no shell), with `baseEnv` as the whole environment
 * (unset entries dropped, so a process.env-shaped record can be handed in) and each request's `env`
 * merged over it. Output of stdout and stderr is combined in arrival order,
 * streamed line by line to `onLine`, and returned; a signal death is reported as 128 + signal number.
 * @example const run = createRunCommand({ PATH: "/usr/bin:/bin", HOME: "/home/me" });
 *          await run({ argv: ["npm", "ci"], cwd: "/tmp/staging" });
 */
export function createRunCommand(baseEnv: Readonly<Record<string, string | undefined>>): RunCommand {
  const base = definedOnly(baseEnv);
  return async ({ argv, cwd, env, onLine }) => {
    const [program, ...args] = argv;
    if (program === undefined) throw new Error("runCommand: argv is empty; pass at least the program name");
    const folder = await stat(cwd).catch(() => undefined);
    if (!folder?.isDirectory()) throw new CommandFolderError(cwd, argv);
    const fullEnv = { ...base, ...env };

    return new Promise((resolve, reject) => {
      const child = spawn(program, args, { cwd, env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const append = (text: string): void => {
        output += text;
        if (output.length > MAX_OUTPUT_CHARS) output = output.slice(output.length - MAX_OUTPUT_CHARS);
      };
      const stdout = lineSplitter(onLine);
      const stderr = lineSplitter(onLine);
      child.stdout.setEncoding("utf8").on("data", (text: string) => {
        append(text);
        stdout.push(text);
      });
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        append(text);
        stderr.push(text);
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        reject(
          error.code === "ENOENT"
            ? new CommandNotFoundError(program, fullEnv.PATH ?? "", { cause: error })
            : error,
        );
      });
      child.on("close", (code, signal) => {
        stdout.flush();
        stderr.flush();
        resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), output });
      });
    });
  };
}

/** Splits streamed text into lines (LF or CRLF) and hands complete ones on; `flush` sends the rest. */
function lineSplitter(onLine: ((line: string) => void) | undefined): {
  push: (text: string) => void;
  flush: () => void;
} {
  let pending = "";
  return {
    push(text) {
      if (!onLine) return;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    },
    flush() {
      if (onLine && pending !== "") onLine(pending);
      pending = "";
    },
  };
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
