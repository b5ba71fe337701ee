import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import { InvalidEnvNameError } from "./local-errors.ts";
import { listLocalEnvironments } from "./list-local-environments.ts";
import { localStatus } from "./local-status.ts";
import { isAlive } from "./process-identity.ts";
import { get, launchSupervisor, makeStateDir, nodeRelease } from "./test-releases.ts";

let stateDir = "";

beforeAll(async () => {
  stateDir = await makeStateDir();
});

afterAll(async () => {
  for (const envName of ["doomed", "kept"]) await destroyLocal({ stateDir, envName });
  await rm(stateDir, { recursive: true, force: true });
});

function portAnswers(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), answer(true)));
    socket.once("error", () => answer(false));
  });
}

describe("destroyLocal", () => {
  it("stops the supervisor and the release, closes the port, removes the folder; repeating is fine", async () => {
    for (const envName of ["doomed", "kept"]) {
      const release = await nodeRelease({ stateDir, envName, version: envName });
      const result = await deployLocal({ stateDir, envName, ...release, launchSupervisor });
      expect(result.ok).toBe(true);
    }
    expect((await listLocalEnvironments(stateDir)).map((s) => [s.envName, s.running])).toEqual([
      ["doomed", true],
      ["kept", true],
    ]);
    const status = await localStatus({ stateDir, envName: "doomed" });
    const port = Number(new URL(status.url ?? "").port);
    expect(await portAnswers(port)).toBe(true);

    expect(await destroyLocal({ stateDir, envName: "doomed" })).toEqual({ existed: true });
    // Another test file's environment may bind the freed port at once; what matters is that we no longer answer.
    expect(await get(status.url ?? "")).not.toEqual({ status: 200, body: "hello from doomed\n" });
    expect(isAlive(status.supervisorPid ?? 0)).toBe(false);
    expect(isAlive(status.current?.pid ?? 0)).toBe(false);
    expect(existsSync(join(stateDir, "envs", "doomed"))).toBe(false);
    expect(await destroyLocal({ stateDir, envName: "doomed" })).toEqual({ existed: false });
    expect((await listLocalEnvironments(stateDir)).map((s) => s.envName)).toEqual(["kept"]);
  });

  it("cleans up after a supervisor that was killed", async () => {
    const status = await localStatus({ stateDir, envName: "kept" });
    process.kill(status.supervisorPid ?? 0, "SIGKILL");
    expect(await destroyLocal({ stateDir, envName: "kept" })).toEqual({ existed: true });
    expect(isAlive(status.current?.pid ?? 0)).toBe(false);
    expect(await listLocalEnvironments(stateDir)).toEqual([]);
  });

  it("rejects an invalid environment name", async () => {
    await expect(destroyLocal({ stateDir, envName: "../etc" })).rejects.toBeInstanceOf(InvalidEnvNameError);
  });
});
