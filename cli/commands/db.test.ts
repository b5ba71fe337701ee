import { describe, expect, it } from "vitest";
import { memoryCliContext } from "../../test/support/memory-cli-context.ts";
import { runCli } from "../run-cli.ts";
import { dbCommand } from "./db.ts";

const context = () =>
  memoryCliContext({
    cwd: "/nonexistent-project",
    env: { AETHER_DB_ADMIN_URL: "postgres://admin@127.0.0.1:1/postgres" },
  });

describe("aether db's argument checks (before any server is contacted)", () => {
  const wrong: Array<[string[], RegExp]> = [
    [[], /name a subcommand: list, create, reset, destroy, backup, restore or stop/],
    [["frob"], /unknown subcommand "frob"/],
    [["create"], /aether db create: name the environment/],
    [["create", "PR_1"], /"PR_1" is not an environment name/],
    [["list", "extra"], /aether db list: unexpected "extra"/],
    [["create", "pr-1", "pr-2"], /unexpected "pr-2"/],
    [["list", "--from", "x"], /aether db list: --from does not apply here/],
    [["backup", "pr-1", "--print-url"], /--print-url does not apply here/],
    [["create", "pr-1", "--ttl", "soon"], /--ttl "soon" is not a duration/],
    [["create", "pr-1", "--repository", "shop"], /--repository "shop" is not OWNER\/NAME/],
    [["list", "--server", "mysql://x@y/z"], /must start with postgres:\/\//],
    [["list", "--nope"], /Unknown option '--nope'/],
  ];
  for (const [args, message] of wrong) {
    it(`refuses "db ${args.join(" ")}" with exit code 2`, async () => {
      const { ctx, out } = context();
      expect(await runCli(["db", ...args], ctx, [dbCommand])).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).toContain('Run "aether db --help" for usage.');
    });
  }

  it("shows help with every subcommand and examples", async () => {
    const { ctx, out } = context();
    expect(await runCli(["db", "--help"], ctx, [dbCommand])).toBe(0);
    for (const word of [
      "list",
      "create ENV",
      "reset ENV",
      "destroy ENV",
      "backup ENV",
      "restore ENV",
      "stop",
      "Examples:",
    ])
      expect(out.stdout).toContain(word);
  });
});
