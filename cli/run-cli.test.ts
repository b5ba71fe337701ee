import { describe, expect, it } from "vitest";
import { memoryCliContext } from "../test/support/memory-cli-context.ts";
import type { Command } from "./command.ts";
import { runCli } from "./run-cli.ts";
import { UsageError } from "./usage-error.ts";

const context = () => memoryCliContext();

const echo: Command = {
  name: "echo",
  summary: "repeats",
  options: {},
  help: "Usage: aether echo",
  async run(argv) {
    if (argv[0] === "bad") throw new UsageError("aether echo: bad input");
    if (argv[0] === "boom") throw new Error("disk full");
    return 0;
  },
};

describe("runCli", () => {
  it("lists commands without arguments and with --help", async () => {
    const { ctx, out } = context();
    expect(await runCli([], ctx, [echo])).toBe(0);
    expect(out.stdout).toContain("echo  repeats");
  });

  it("shows a command's help", async () => {
    const { ctx, out } = context();
    expect(await runCli(["echo", "--help"], ctx, [echo])).toBe(0);
    expect(await runCli(["help", "echo"], ctx, [echo])).toBe(0);
    expect(out.stdout).toBe("Usage: aether echo\nUsage: aether echo\n");
  });

  it("exits 2 on an unknown command or a usage error, 1 on a failure", async () => {
    const { ctx, out } = context();
    expect(await runCli(["nope"], ctx, [echo])).toBe(2);
    expect(out.stderr).toContain('unknown command "nope"');
    expect(await runCli(["echo", "bad"], ctx, [echo])).toBe(2);
    expect(out.stderr).toContain('Run "aether echo --help" for usage.');
    expect(await runCli(["echo", "boom"], ctx, [echo])).toBe(1);
    expect(out.stderr).toContain("aether echo: disk full");
  });
});
