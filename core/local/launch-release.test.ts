import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchRelease, type LaunchableRelease } from "./launch-release.ts";
import { openLogWriter, type LogWriter } from "./log-writer.ts";
import { makeStateDir, manifestFor, nodeRelease } from "./test-releases.ts";

let stateDir = "";
let log: LogWriter;

beforeAll(async () => {
  stateDir = await makeStateDir();
  await mkdir(join(stateDir, "logs"));
  log = openLogWriter(join(stateDir, "logs", "1.log"));
});

afterAll(async () => {
  await log.close();
  await rm(stateDir, { recursive: true, force: true });
});

const launch = (release: LaunchableRelease) =>
  launchRelease({
    release,
    envDir: stateDir,
    baseEnv: { PATH: process.env["PATH"] },
    log,
    healthTimeoutMs: 2_000,
    stopGraceMs: 500,
  });

describe("launchRelease", () => {
  it("fails the start phase when the command does not exist", async () => {
    const made = await nodeRelease({ stateDir, envName: "l", version: "x" });
    const result = await launch({
      ...made,
      number: 1,
      env: {},
      manifest: manifestFor(["aether-no-such-cmd", "x"]),
    });
    expect(result).toMatchObject({ ok: false, phase: "start", logTail: [] });
    expect(result.ok ? "" : result.reason).toBe(
      `\`aether-no-such-cmd x\` could not be started: spawn aether-no-such-cmd ENOENT (run from ${made.releaseDir})`,
    );
  });

  it("fails the start phase when the release folder is gone", async () => {
    const releaseDir = join(stateDir, "gone");
    const result = await launch({
      releaseDir,
      number: 1,
      env: {},
      manifest: manifestFor(["node", "server.js"]),
    });
    expect(result).toEqual({
      ok: false,
      phase: "start",
      reason: `the release folder ${releaseDir} is missing; deploy the artifact again`,
      logTail: [],
    });
  });

  it("reports a process killed by a signal before it was healthy", async () => {
    const made = await nodeRelease({ stateDir, envName: "l", version: "y" });
    const manifest = manifestFor(["node", "-e", "process.kill(process.pid, 'SIGKILL')"]);
    const result = await launch({ ...made, number: 1, env: {}, manifest });
    expect(result.ok ? "" : result.reason).toBe(
      "the app was killed by SIGKILL before GET /health answered 200",
    );
  });
});
