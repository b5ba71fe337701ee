import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CommandFolderError, CommandNotFoundError, createRunCommand } from "./run-command.ts";

const node = process.execPath;
const base = { PATH: dirname(node), LANG: "C" };
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempFolder(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "aether-run-")));
  folders.push(dir);
  return dir;
}

describe("createRunCommand", () => {
  it("returns the exit code and stdout and stderr combined, in order", async () => {
    const run = createRunCommand(base);
    const script = "console.log('one'); setTimeout(() => { console.error('two'); process.exit(3) }, 50)";
    const result = await run({ argv: [node, "-e", script], cwd: tmpdir() });
    expect(result).toEqual({ code: 3, output: "one\ntwo\n" });
  });

  it("streams whole lines to onLine, CRLF or not, including a last unterminated line", async () => {
    const lines: string[] = [];
    const run = createRunCommand(base);
    const script = "process.stdout.write('a\\r\\nb'); setTimeout(() => process.stdout.write('c\\nd'), 30)";
    await run({ argv: [node, "-e", script], cwd: tmpdir(), onLine: (line) => lines.push(line) });
    expect(lines).toEqual(["a", "bc", "d"]);
  });

  it("runs in cwd with exactly the base environment and the request's env over it", async () => {
    const dir = await tempFolder();
    const run = createRunCommand({ ...base, KEEP: "base", OVER: "base", UNSET: undefined });
    const script =
      "console.log(JSON.stringify([process.cwd(), process.env.KEEP, process.env.OVER, Object.keys(process.env).sort()]))";
    const { output } = await run({ argv: [node, "-e", script], cwd: dir, env: { OVER: "request" } });
    // Nothing of the test's own environment (HOME, CI, …) reaches the child.
    expect(JSON.parse(output)).toEqual([dir, "base", "request", ["KEEP", "LANG", "OVER", "PATH"]]);
  });

  it("finds programs on the base PATH, without a shell", async () => {
    const run = createRunCommand(base);
    const { code, output } = await run({
      argv: ["node", "-e", "console.log(process.argv[1])", "$HOME;*"],
      cwd: tmpdir(),
    });
    expect({ code, output }).toEqual({ code: 0, output: "$HOME;*\n" });
  });

  it("reports a killed process as 128 + the signal number", async () => {
    const run = createRunCommand(base);
    const result = await run({ argv: [node, "-e", "process.kill(process.pid, 'SIGKILL')"], cwd: tmpdir() });
    expect(result.code).toBe(137);
  });

  it("says which program is missing and which PATH was searched", async () => {
    const run = createRunCommand({ PATH: "/nowhere/bin" });
    const attempt = run({ argv: ["aether-no-such-program", "x"], cwd: tmpdir() });
    await expect(attempt).rejects.toThrow(CommandNotFoundError);
    await expect(run({ argv: ["aether-no-such-program"], cwd: tmpdir() })).rejects.toThrow(
      /"aether-no-such-program" was not found on PATH \(\/nowhere\/bin\)/,
    );
  });

  it("says when the folder to run in does not exist, and refuses an empty argv", async () => {
    const dir = await tempFolder();
    const run = createRunCommand(base);
    await expect(run({ argv: [node, "-v"], cwd: join(dir, "gone") })).rejects.toThrow(CommandFolderError);
    await expect(run({ argv: [node, "-v"], cwd: join(dir, "gone") })).rejects.toThrow(
      `cannot run "${node} -v": the folder ${join(dir, "gone")} does not exist`,
    );
    await expect(run({ argv: [], cwd: dir })).rejects.toThrow(/argv is empty/);
  });
});
