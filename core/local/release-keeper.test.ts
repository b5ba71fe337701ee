import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchRelease } from "./launch-release.ts";
import { openLogWriter } from "./log-writer.ts";
import type { StoredRelease } from "./release-history.ts";
import { ReleaseKeeper } from "./release-keeper.ts";
import { isAlive } from "./process-identity.ts";
import { eventually, get, makeStateDir, nodeRelease } from "./test-releases.ts";

let stateDir = "";
let envDir = "";
const keepers: ReleaseKeeper[] = [];

beforeAll(async () => {
  stateDir = await makeStateDir();
  envDir = join(stateDir, "envs", "keep");
  await mkdir(join(envDir, "logs"), { recursive: true });
});

afterAll(async () => {
  await Promise.all(keepers.map((k) => k.stop()));
  await rm(stateDir, { recursive: true, force: true });
});

async function keeperFor(version: string, mode: "ok" | "crash-at-start" = "ok"): Promise<ReleaseKeeper> {
  const made = await nodeRelease({ stateDir, envName: "keep", version, mode });
  const release: StoredRelease = {
    ...made,
    number: keepers.length + 1,
    createdAt: new Date().toISOString(),
    status: "active",
    env: {},
  };
  const log = openLogWriter(join(envDir, "logs", `${release.number}.log`));
  const keeper = new ReleaseKeeper({
    release,
    log,
    stopGraceMs: 1_000,
    backoff: { initialMs: 50, maxMs: 400, resetAfterMs: 60_000 },
    relaunch: (onSpawn) =>
      launchRelease({
        release,
        envDir,
        baseEnv: { PATH: process.env["PATH"] },
        log,
        healthTimeoutMs: 5_000,
        stopGraceMs: 1_000,
        onSpawn,
      }),
  });
  keepers.push(keeper);
  return keeper;
}

describe("ReleaseKeeper", () => {
  it("starts a release, restarts it after a crash on a new port, and counts the restart", async () => {
    const keeper = await keeperFor("k1");
    expect(keeper.state).toBe("starting");
    keeper.resume();
    const first = await eventually(async () => keeper.process);
    expect(keeper.state).toBe("up");
    await get(`http://127.0.0.1:${first.port}/crash`);
    const second = await eventually(async () =>
      keeper.process && keeper.process !== first ? keeper.process : undefined,
    );
    expect(keeper.restarts).toBe(1);
    expect(second.port).not.toBe(first.port);
    expect(await get(`http://127.0.0.1:${second.port}/`)).toEqual({ status: 200, body: "hello from k1\n" });
    const log = await readFile(join(envDir, "logs", "1.log"), "utf8");
    expect(log).toContain("release 1 exited with code 3");
    expect(log).toContain("restarting in 50 ms (restart 1)");
  });

  it("backs off exponentially while the release keeps failing, and stops trying when stopped", async () => {
    const keeper = await keeperFor("k2", "crash-at-start");
    keeper.resume();
    await eventually(async () => (keeper.restarts >= 3 ? true : undefined));
    expect(keeper.state).toBe("restarting");
    await keeper.stop();
    const restarts = keeper.restarts;
    await new Promise((done) => setTimeout(done, 500));
    expect(keeper.restarts).toBe(restarts);
    expect(keeper.state).toBe("down");
    const log = await readFile(join(envDir, "logs", "2.log"), "utf8");
    expect(log).toContain("restarting in 50 ms (restart 1)");
    expect(log).toContain("restarting in 100 ms (restart 2)");
    expect(log).toContain("restarting in 200 ms (restart 3)");
  });

  it("stops the process it keeps", async () => {
    const keeper = await keeperFor("k3");
    keeper.resume();
    const child = await eventually(async () => keeper.process);
    await keeper.stop();
    expect(child.pid !== undefined && isAlive(child.pid)).toBe(false);
    expect(await get(`http://127.0.0.1:${child.port}/`)).not.toEqual({
      status: 200,
      body: "hello from k3\n",
    });
  });
});
