import { parseDuration } from "../config/parse-duration.ts";

/** A command read from a pull request comment. */
export type PrCommand =
  | { kind: "deploy"; app?: string; env?: string; noop: boolean }
  | { kind: "rollback"; env?: string }
  | { kind: "lock"; env: string; reason?: string }
  | { kind: "unlock"; env: string }
  /**
   * With one name, `env` holds it: the handler reads it as an app when the config names no such environment
   * but an app of that name (`/logs web`); with two, the first is the app and the second the environment.
   */
  | { kind: "logs"; app?: string; env?: string; sinceMs?: number }
  | { kind: "preview-reset-db" }
  | { kind: "preview-extend" }
  | { kind: "help" };

export type ParseCommandResult =
  | { ok: true; command: PrCommand }
  | { ok: false; reason: "not-a-command" }
  | { ok: false; reason: "invalid"; message: string };

/** The commands, as `/aether help` lists them. */
export const COMMAND_USAGE = [
  "/deploy [app] [to ENV]",
  "/deploy noop [app] [to ENV]",
  "/rollback [ENV]",
  "/lock ENV [--reason TEXT]",
  "/unlock ENV",
  "/logs [APP] [ENV] [--since 10m]",
  "/preview reset-db",
  "/preview extend",
  "/aether help",
] as const;

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COMMANDS = new Set(["/deploy", "/rollback", "/lock", "/unlock", "/logs", "/preview", "/aether"]);

/**
 * Reads a command from the first line of a comment. Only a comment that starts with one of Aether's
 * commands is a command; anything else (prose that mentions /deploy, a quote) is not. A malformed command
 * gets a message that says what is wrong and shows the usage.
 * @example parseCommand("/deploy web to staging") // { ok: true, command: { kind: "deploy", app: "web", env: "staging", noop: false } }
 */
export function parseCommand(body: string): ParseCommandResult {
  const first =
    body
      .replace(/^\uFEFF/, "")
      .trimStart()
      .split(/\r?\n/, 1)[0]
      ?.trim() ?? "";
  const [head = "", ...rest] = first.split(/\s+/);
  const name = head.toLowerCase();
  if (!COMMANDS.has(name)) return { ok: false, reason: "not-a-command" };
  const invalid = (what: string, usage: string): ParseCommandResult => ({
    ok: false,
    reason: "invalid",
    message: `\`${first}\`: ${what}. Usage: \`${usage}\``,
  });
  const checkName = (value: string, what: string, usage: string): ParseCommandResult | undefined =>
    NAME.test(value) ? undefined : invalid(`"${value}" is not a valid ${what} name`, usage);

  switch (name) {
    case "/deploy": {
      const usage = "/deploy [noop] [app] [to ENV]";
      const args = [...rest];
      const noop = args[0] === "noop";
      if (noop) args.shift();
      const toAt = args.indexOf("to");
      const env = toAt === -1 ? undefined : args[toAt + 1];
      if (toAt !== -1 && (env === undefined || args.length > toAt + 2))
        return invalid("`to` needs one environment", usage);
      const before = toAt === -1 ? args : args.slice(0, toAt);
      if (before.length > 1) return invalid(`unexpected "${before.slice(1).join(" ")}"`, usage);
      const app = before[0];
      const bad = (app && checkName(app, "app", usage)) || (env && checkName(env, "environment", usage));
      if (bad) return bad;
      return {
        ok: true,
        command: { kind: "deploy", noop, ...(app ? { app } : {}), ...(env ? { env } : {}) },
      };
    }
    case "/rollback": {
      const usage = "/rollback [ENV]";
      if (rest.length > 1) return invalid(`unexpected "${rest.slice(1).join(" ")}"`, usage);
      const env = rest[0];
      const bad = env && checkName(env, "environment", usage);
      return bad || { ok: true, command: { kind: "rollback", ...(env ? { env } : {}) } };
    }
    case "/lock": {
      const usage = "/lock ENV [--reason TEXT]";
      const env = rest[0];
      if (!env || env.startsWith("--")) return invalid("which environment?", usage);
      const bad = checkName(env, "environment", usage);
      if (bad) return bad;
      if (rest.length > 1 && rest[1] !== "--reason") return invalid(`unexpected "${rest[1]}"`, usage);
      const reason = rest
        .slice(2)
        .join(" ")
        .replace(/^["'](.*)["']$/, "$1")
        .trim();
      if (rest[1] === "--reason" && !reason) return invalid("--reason needs a text", usage);
      return { ok: true, command: { kind: "lock", env, ...(reason ? { reason } : {}) } };
    }
    case "/unlock": {
      const usage = "/unlock ENV";
      if (rest.length !== 1 || !rest[0]) return invalid("name one environment", usage);
      return (
        checkName(rest[0], "environment", usage) ?? { ok: true, command: { kind: "unlock", env: rest[0] } }
      );
    }
    case "/logs": {
      const usage = "/logs [APP] [ENV] [--since 10m]";
      const args = [...rest];
      let sinceMs: number | undefined;
      const sinceAt = args.indexOf("--since");
      if (sinceAt !== -1) {
        sinceMs = parseDuration(args[sinceAt + 1] ?? "");
        if (sinceMs === undefined) return invalid(`--since needs a duration such as 10m or 2h`, usage);
        args.splice(sinceAt, 2);
      }
      if (args.length > 2) return invalid(`unexpected "${args.slice(2).join(" ")}"`, usage);
      const [app, env] = args.length === 2 ? args : [undefined, args[0]];
      const bad = (app && checkName(app, "app", usage)) || (env && checkName(env, "environment", usage));
      if (bad) return bad;
      return {
        ok: true,
        command: {
          kind: "logs",
          ...(app ? { app } : {}),
          ...(env ? { env } : {}),
          ...(sinceMs === undefined ? {} : { sinceMs }),
        },
      };
    }
    case "/preview": {
      const usage = "/preview reset-db | /preview extend";
      if (rest.length === 1 && rest[0] === "reset-db")
        return { ok: true, command: { kind: "preview-reset-db" } };
      if (rest.length === 1 && rest[0] === "extend") return { ok: true, command: { kind: "preview-extend" } };
      return invalid("expected reset-db or extend", usage);
    }
    default: {
      if (rest.length === 1 && rest[0] === "help") return { ok: true, command: { kind: "help" } };
      return invalid("the only /aether command is help", "/aether help");
    }
  }
}
