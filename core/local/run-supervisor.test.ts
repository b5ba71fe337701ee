import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlSocketPath } from "./control-socket-path.ts";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import { localStatus } from "./local-status.ts";
import { isAlive } from "./process-identity.ts";
import { readSupervisorRecord } from "./supervisor-record.ts";
import { eventually, get, launchSupervisor, makeStateDir, nodeRelease } from "./test-releases.ts";

let stateDir = "";

beforeAll(async () => {
  stateDir = await makeStateDir();
});

afterAll(async () => {
  for (const envName of ["crashy", "killed", "redeploy", "gone", "first"])
    await destroyLocal({ stateDir, envName });
  await rm(stateDir, { recursive: true, force: true });
});

async function deployed(envName: string, version: string): Promise<string> {
  const release = await nodeRelease({ stateDir, envName, version });
  const result = await deployLocal({ stateDir, envName, ...release, launchSupervisor });
  if (!result.ok) throw new Error(result.reason);
  return result.url;
}

describe("the supervisor", () => {
  it("answers 503 while the first release starts and 502 when none runs", async () => {
    const release = await nodeRelease({ stateDir, envName: "first", version: "f1", mode: "never-healthy" });
    let during: Promise<Awaited<ReturnType<typeof get>>> | undefined;
    let url = "";
    const result = await deployLocal({
      stateDir,
      envName: "first",
      ...release,
      healthTimeoutMs: 600,
      launchSupervisor,
      onEvent: (event) => {
        if (event.type === "supervisor-started") url = event.url;
        if (event.type === "probe" && event.attempt === 1) during = get(url);
      },
    });
    expect(result).toMatchObject({ ok: false, phase: "healthy" });
    expect(result.ok ? undefined : result.stillServing).toBeUndefined();
    expect(await during).toEqual({
      status: 503,
      body: "Aether: release 1 of first is starting; try again in a moment\n",
    });
    expect(await get(url)).toEqual({
      status: 502,
      body: "Aether: no release of first is running; deploy one with aether deploy\n",
    });
  });

  it("restarts the active release after a crash and counts the restart", async () => {
    const url = await deployed("crashy", "c1");
    const before = await localStatus({ stateDir, envName: "crashy" });
    await get(`${url}/crash`);
    const after = await eventually(async () => {
      const status = await localStatus({ stateDir, envName: "crashy" });
      return status.current?.state === "up" && status.current.restarts === 1 ? status : undefined;
    });
    expect(after.current?.pid).not.toBe(before.current?.pid);
    expect(await get(url)).toEqual({ status: 200, body: "hello from c1\n" });
  });

  it("is replaced on the next status after a SIGKILL, and resumes the active release on the same URL", async () => {
    const url = await deployed("killed", "s1");
    const before = await localStatus({ stateDir, envName: "killed" });
    const supervisorPid = before.supervisorPid ?? 0;
    const appPid = before.current?.pid ?? 0;
    process.kill(supervisorPid, "SIGKILL");
    await eventually(async () => (isAlive(supervisorPid) ? undefined : true));
    expect(await get(url)).not.toEqual({ status: 200, body: "hello from s1\n" });
    const plain = await localStatus({ stateDir, envName: "killed" });
    expect(plain).toMatchObject({ running: false, url, current: { release: 1, state: "down" } });

    const revived = await localStatus({ stateDir, envName: "killed", launchSupervisor });
    expect(revived.running).toBe(true);
    expect(revived.supervisorPid).not.toBe(supervisorPid);
    expect(
      await eventually(async () => ((await get(url)) as { status?: number }).status === 200 || undefined),
    ).toBe(true);
    expect(await get(url)).toEqual({ status: 200, body: "hello from s1\n" });
    expect(isAlive(appPid)).toBe(false);
  });

  it("is replaced on the next deploy after a SIGKILL", async () => {
    const url = await deployed("redeploy", "r1");
    const before = await localStatus({ stateDir, envName: "redeploy" });
    process.kill(before.supervisorPid ?? 0, "SIGKILL");
    await eventually(async () => (isAlive(before.supervisorPid ?? 0) ? undefined : true));
    const release = await nodeRelease({ stateDir, envName: "redeploy", version: "r2" });
    const result = await deployLocal({ stateDir, envName: "redeploy", ...release, launchSupervisor });
    expect(result).toMatchObject({ ok: true, url, release: 2, previous: 1 });
    expect(await get(url)).toEqual({ status: 200, body: "hello from r2\n" });
    expect(isAlive(before.current?.pid ?? 0)).toBe(false);
  });

  it("puts its socket in the temp folder when the environment folder is too deep, and destroy removes it", async () => {
    const deepState = join(stateDir, "a-rather-long-folder-name-for-a-project".repeat(2), ".aether");
    const release = await nodeRelease({ stateDir: deepState, envName: "deep", version: "d1" });
    const result = await deployLocal({ stateDir: deepState, envName: "deep", ...release, launchSupervisor });
    expect(result.ok).toBe(true);
    const record = await readSupervisorRecord(join(deepState, "envs", "deep", "supervisor.json"));
    const socket = record?.socket ?? "";
    expect(socket).toBe(controlSocketPath(join(deepState, "envs", "deep")));
    expect(socket.startsWith(join(tmpdir(), "aether-"))).toBe(true);
    expect(existsSync(socket)).toBe(true);
    expect(await destroyLocal({ stateDir: deepState, envName: "deep" })).toEqual({ existed: true });
    expect(existsSync(socket)).toBe(false);
  });

  it("exits, stopping its release, when the environment folder is removed", async () => {
    const url = await deployed("gone", "g1");
    const status = await localStatus({ stateDir, envName: "gone" });
    await rm(join(stateDir, "envs", "gone"), { recursive: true });
    await eventually(async () => (isAlive(status.supervisorPid ?? 0) ? undefined : true));
    expect(isAlive(status.current?.pid ?? 0)).toBe(false);
    expect(await get(url)).not.toEqual({ status: 200, body: "hello from g1\n" });
  });
});
