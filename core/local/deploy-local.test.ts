import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import { InvalidReleaseError, PortInUseError } from "./local-errors.ts";
import { localStatus } from "./local-status.ts";
import type { LocalDeployEvent } from "./local-types.ts";
import { isAlive } from "./process-identity.ts";
import { get, launchSupervisor, makeStateDir, nodeRelease, pythonRelease } from "./test-releases.ts";

let stateDir = "";
const envName = "production";

beforeAll(async () => {
  stateDir = await makeStateDir();
});

afterAll(async () => {
  for (const name of [envName, "py", "taken", "elsewhere"]) await destroyLocal({ stateDir, envName: name });
  await rm(stateDir, { recursive: true, force: true });
});

describe("deployLocal", () => {
  let url = "";
  let firstPid = 0;

  it("starts the first release behind a stable URL", async () => {
    const release = await nodeRelease({ stateDir, envName, version: "v1" });
    const events: LocalDeployEvent[] = [];
    const result = await deployLocal({
      stateDir,
      envName,
      ...release,
      launchSupervisor,
      onEvent: (e) => events.push(e),
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.release).toBe(1);
    expect(result.previous).toBeUndefined();
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(`${result.url}/`)).toEqual({ status: 200, body: "hello from v1\n" });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("supervisor-started");
    expect(types).toContain("probe");
    expect(types.slice(-2)).toEqual(["healthy", "switched"]);
    expect(events).toContainEqual({ type: "log", line: expect.stringContaining("v1 listening") });
    const started = events.find((e) => e.type === "started");
    firstPid = started?.type === "started" ? started.pid : 0;
    expect(isAlive(firstPid)).toBe(true);
    url = result.url;
  });

  it("switches to a new release with no failed request while clients hammer the URL", async () => {
    expect(url).not.toBe("");
    const release = await nodeRelease({ stateDir, envName, version: "v2" });
    const statuses: (number | string)[] = [];
    let deploying = true;
    const hammer = async (): Promise<void> => {
      while (deploying) {
        // Slow answers keep requests in flight on the old release while the switch happens.
        const answer = await get(`${url}/slow`);
        statuses.push("status" in answer ? answer.status : answer.error);
        await new Promise((done) => setImmediate(done));
      }
    };
    const clients = Array.from({ length: 4 }, hammer);
    const result = await deployLocal({ stateDir, envName, ...release, launchSupervisor });
    deploying = false;
    await Promise.all(clients);
    if (!result.ok) throw new Error(result.reason);
    expect(result).toMatchObject({ release: 2, previous: 1, url });
    expect(statuses.length).toBeGreaterThan(8);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await get(`${url}/`)).toEqual({ status: 200, body: "hello from v2\n" });
    expect(isAlive(firstPid)).toBe(false);
  });

  it("reports a release that exits at start, with its output, and keeps the old one serving", async () => {
    const release = await nodeRelease({ stateDir, envName, version: "v3", mode: "crash-at-start" });
    const result = await deployLocal({ stateDir, envName, ...release, launchSupervisor });
    expect(result).toMatchObject({
      ok: false,
      phase: "start",
      release: 3,
      stillServing: { release: 2, url },
    });
    if (result.ok) return;
    expect(result.reason).toContain("exited with code 1");
    expect(result.logTail).toContain("Error: Cannot find module 'expresss'");
    expect(await get(`${url}/`)).toEqual({ status: 200, body: "hello from v2\n" });
  });

  it("gives up on a release that never answers its health path, and keeps the old one serving", async () => {
    const release = await nodeRelease({ stateDir, envName, version: "v4", mode: "never-healthy" });
    const result = await deployLocal({
      stateDir,
      envName,
      ...release,
      healthTimeoutMs: 700,
      launchSupervisor,
    });
    expect(result).toMatchObject({ ok: false, phase: "healthy", release: 4, stillServing: { release: 2 } });
    if (result.ok) return;
    expect(result.reason).toBe("GET /health never answered 200 within 700 ms (last answer: status 500)");
    expect(result.logTail).toEqual([expect.stringMatching(/^v4 listening on \d+$/)]);
    expect(await get(`${url}/`)).toEqual({ status: 200, body: "hello from v2\n" });
  });

  it("records every release in the history, newest first", async () => {
    const status = await localStatus({ stateDir, envName });
    expect(status).toMatchObject({
      envName,
      url,
      running: true,
      current: { release: 2, state: "up", restarts: 0 },
    });
    expect(status.history.map((r) => [r.number, r.status])).toEqual([
      [4, "failed"],
      [3, "failed"],
      [2, "active"],
      [1, "superseded"],
    ]);
    expect(status.history[1]?.reason).toContain("exited with code 1");
  });

  it("refuses a public port held by another process, before creating anything", async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, "127.0.0.1", () => done()));
    const address = holder.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const release = await nodeRelease({ stateDir, envName: "elsewhere", version: "v1" });
    const attempt = deployLocal({ stateDir, envName: "taken", ...release, port, launchSupervisor }).catch(
      (e) => e,
    );
    const error: unknown = await attempt;
    holder.close();
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toBe(
      `port ${port} is in use by another process; pass --port or free it`,
    );
    expect(existsSync(join(stateDir, "envs", "taken"))).toBe(false);
  });

  it("refuses a release folder that does not exist", async () => {
    const release = await nodeRelease({ stateDir, envName, version: "v5" });
    const releaseDir = join(stateDir, "nowhere");
    await expect(
      deployLocal({ stateDir, envName, ...release, releaseDir, launchSupervisor }),
    ).rejects.toThrow(
      new InvalidReleaseError(
        `the release folder ${releaseDir} does not exist; extract the artifact there before deploying`,
      ),
    );
  });

  it("runs a python app, resolving PYTHONPATH=.deps against the release folder", async () => {
    const release = await pythonRelease({ stateDir, envName: "py" });
    const result = await deployLocal({ stateDir, envName: "py", ...release, launchSupervisor });
    if (!result.ok) throw new Error(`${result.reason}\n${result.logTail.join("\n")}`);
    expect(await get(result.url)).toEqual({
      status: 200,
      body: `hello from python ${release.releaseDir}/.deps\n`,
    });
  });
});
