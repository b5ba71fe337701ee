import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import { RollbackRefusedError, UnknownEnvironmentError } from "./local-errors.ts";
import { localStatus } from "./local-status.ts";
import { rollbackLocal } from "./rollback-local.ts";
import { get, launchSupervisor, makeStateDir, nodeRelease, type TestRelease } from "./test-releases.ts";

let stateDir = "";
const envName = "staging";
let url = "";
let v1: TestRelease | undefined;

beforeAll(async () => {
  stateDir = await makeStateDir();
});

afterAll(async () => {
  await destroyLocal({ stateDir, envName });
  await rm(stateDir, { recursive: true, force: true });
});

async function deploy(version: string, mode?: "crash-at-start"): Promise<TestRelease> {
  const release = await nodeRelease({ stateDir, envName, version, ...(mode ? { mode } : {}) });
  const result = await deployLocal({
    stateDir,
    envName,
    ...release,
    env: { GREETING: version },
    launchSupervisor,
  });
  if (result.ok) url = result.url;
  return release;
}

const statuses = async (): Promise<[number, string, number | undefined][]> =>
  (await localStatus({ stateDir, envName })).history.map((r) => [r.number, r.status, r.rollbackOf]);

describe("rollbackLocal", () => {
  it("refuses when there is no environment, or only one release ever served", async () => {
    await expect(rollbackLocal({ stateDir, envName, launchSupervisor })).rejects.toBeInstanceOf(
      UnknownEnvironmentError,
    );
    v1 = await deploy("v1");
    await expect(rollbackLocal({ stateDir, envName, launchSupervisor })).rejects.toThrow(
      new RollbackRefusedError(`nothing to roll "staging" back to: release 1 is the only one that served`),
    );
  });

  it("goes back to the previous good release as a new release, skipping failed ones", async () => {
    await deploy("v2");
    await deploy("v3", "crash-at-start");
    const events: string[] = [];
    const result = await rollbackLocal({
      stateDir,
      envName,
      launchSupervisor,
      onEvent: (e) => events.push(e.type),
    });
    expect(result).toMatchObject({ ok: true, url, release: 4, previous: 2 });
    expect(events).toContain("switched");
    expect(await get(url)).toEqual({ status: 200, body: "hello from v1\n" });
    expect(await statuses()).toEqual([
      [4, "active", 1],
      [3, "failed", undefined],
      [2, "rolled-back", undefined],
      [1, "superseded", undefined],
    ]);
  });

  it("rolls back to a named release, and refuses unknown, failed and serving ones", async () => {
    await expect(rollbackLocal({ stateDir, envName, to: 9, launchSupervisor })).rejects.toThrow(
      `"staging" has no release 9 (its releases are 1 to 4)`,
    );
    await expect(rollbackLocal({ stateDir, envName, to: 3, launchSupervisor })).rejects.toThrow(
      "never served",
    );
    await expect(rollbackLocal({ stateDir, envName, to: 4, launchSupervisor })).rejects.toThrow(
      "already serving",
    );
    const result = await rollbackLocal({ stateDir, envName, to: 2, launchSupervisor });
    expect(result).toMatchObject({ ok: true, release: 5, previous: 4 });
    expect(await get(url)).toEqual({ status: 200, body: "hello from v2\n" });
    expect((await statuses()).slice(0, 2)).toEqual([
      [5, "active", 2],
      [4, "rolled-back", 1],
    ]);
  });

  it("refuses a release whose folder is gone, and keeps serving", async () => {
    await rm(v1?.releaseDir ?? "", { recursive: true });
    await expect(rollbackLocal({ stateDir, envName, to: 1, launchSupervisor })).rejects.toThrow(
      /cannot roll "staging" back to release 1: its folder .* is gone; deploy that version again instead/,
    );
    expect(await get(url)).toEqual({ status: 200, body: "hello from v2\n" });
  });
});
