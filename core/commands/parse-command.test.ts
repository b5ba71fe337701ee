import { describe, expect, it } from "vitest";
import { parseCommand } from "./parse-command.ts";

const ok = (body: string) => {
  const result = parseCommand(body);
  if (!result.ok) throw new Error(`not parsed: ${body}: ${JSON.stringify(result)}`);
  return result.command;
};

describe("parseCommand", () => {
  it("reads deploys with app, environment and noop", () => {
    expect(ok("/deploy")).toEqual({ kind: "deploy", noop: false });
    expect(ok("/deploy to staging")).toEqual({ kind: "deploy", noop: false, env: "staging" });
    expect(ok("/deploy web to production")).toEqual({
      kind: "deploy",
      noop: false,
      app: "web",
      env: "production",
    });
    expect(ok("/deploy noop web")).toEqual({ kind: "deploy", noop: true, app: "web" });
    expect(ok("  /DEPLOY   api  to  pr-42  \nthanks!")).toEqual({
      kind: "deploy",
      noop: false,
      app: "api",
      env: "pr-42",
    });
  });

  it("reads the other commands", () => {
    expect(ok("/rollback")).toEqual({ kind: "rollback" });
    expect(ok("/rollback staging")).toEqual({ kind: "rollback", env: "staging" });
    expect(ok('/lock production --reason "release freeze"')).toEqual({
      kind: "lock",
      env: "production",
      reason: "release freeze",
    });
    expect(ok("/lock production")).toEqual({ kind: "lock", env: "production" });
    expect(ok("/unlock production")).toEqual({ kind: "unlock", env: "production" });
    expect(ok("/logs")).toEqual({ kind: "logs" });
    expect(ok("/logs staging --since 10m")).toEqual({ kind: "logs", env: "staging", sinceMs: 600_000 });
    expect(ok("/logs web staging")).toEqual({ kind: "logs", app: "web", env: "staging" });
    expect(ok("/logs --since 2h api pr-7")).toEqual({
      kind: "logs",
      app: "api",
      env: "pr-7",
      sinceMs: 7_200_000,
    });
    expect(ok("/preview reset-db")).toEqual({ kind: "preview-reset-db" });
    expect(ok("/preview extend")).toEqual({ kind: "preview-extend" });
    expect(ok("/aether help")).toEqual({ kind: "help" });
  });

  it("does not take prose, quotes or commands after the first line for commands", () => {
    for (const body of ["please /deploy this", "> /deploy", "LGTM\n/deploy", "/deployment is broken", ""]) {
      expect(parseCommand(body)).toEqual({ ok: false, reason: "not-a-command" });
    }
  });

  it("explains a malformed command with its usage", () => {
    const cases: [string, RegExp][] = [
      ["/deploy to", /`to` needs one environment/],
      ["/deploy web api", /unexpected "api"/],
      ["/deploy to Prod_1", /"Prod_1" is not a valid environment name/],
      ["/lock", /which environment\?/],
      ["/lock prod --reason", /--reason needs a text/],
      ["/unlock", /name one environment/],
      ["/logs --since soon", /--since needs a duration/],
      ["/logs web staging extra", /unexpected "extra"/],
      ["/logs Web staging", /"Web" is not a valid app name/],
      ["/preview delete", /expected reset-db or extend/],
      ["/aether deploy", /the only \/aether command is help/],
    ];
    for (const [body, message] of cases) {
      const result = parseCommand(body);
      expect(result.ok).toBe(false);
      if (!result.ok && result.reason === "invalid") {
        expect(result.message).toMatch(message);
        expect(result.message).toContain("Usage: `/");
      } else throw new Error(`${body} should be invalid`);
    }
  });
});
