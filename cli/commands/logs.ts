import { readLocalLogs } from "../../core/local/read-local-logs.ts";
import type { Command, CommandOptions } from "../command.ts";
import { envOption, intOption, parseOptions } from "../parse-options.ts";
import { stateDirOf } from "../context.ts";
import { UsageError } from "../usage-error.ts";
import { parseSince } from "./parse-since.ts";

const OPTIONS = {
  env: { type: "string" },
  release: { type: "string" },
  follow: { type: "boolean", short: "f" },
  since: { type: "string" },
  tail: { type: "string" },
} as const satisfies CommandOptions;

export const logsCommand: Command = {
  name: "logs",
  options: OPTIONS,
  summary: "print or follow an environment's logs",
  help: `Usage: aether logs [options]

Prints the output of the release an environment serves (stdout, stderr, and Aether's own lines about
starts, exits and restarts). --follow keeps printing, across crash restarts and release switches.

Options:
  --env NAME       environment (default: production)
  --release N      a specific release instead of the serving one
  -f, --follow     keep printing new lines until interrupted
  --since WHEN     only lines from WHEN on: 10m, 2h, 1d, or an ISO time
  --tail N         only the last N lines
  --json           one JSON object per line
  -h, --help       this help

Examples:
  aether logs --follow
  aether logs --env staging --since 10m --tail 100`,
  async run(argv, ctx) {
    const { values } = parseOptions("logs", argv, OPTIONS);
    const envName = envOption("logs", values.env);
    const release = intOption("logs", "release", values.release);
    const tail = intOption("logs", "tail", values.tail);
    const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
    if (since === null)
      throw new UsageError(`aether logs: --since "${values.since}" is not 10m, 2h, 1d or an ISO time`);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    try {
      for await (const line of readLocalLogs({
        stateDir: stateDirOf(ctx),
        envName,
        ...(release === undefined ? {} : { release }),
        ...(tail === undefined ? {} : { tail }),
        ...(since === undefined ? {} : { since }),
        follow: values.follow === true,
        signal: controller.signal,
      })) {
        if (values.json) {
          ctx.stdout.write(JSON.stringify(line) + "\n");
        } else {
          const prefix = ctx.style.dim(`${line.t.slice(11, 23)} r${line.release ?? "?"}`);
          const text =
            line.stream === "stderr"
              ? ctx.style.warn(line.line)
              : line.stream === "aether"
                ? ctx.style.accent(line.line)
                : line.line;
          ctx.stdout.write(`${prefix} ${text}\n`);
        }
      }
    } finally {
      process.off("SIGINT", stop);
    }
    return 0;
  },
};
