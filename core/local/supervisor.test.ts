import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import { PortConflictError } from "./local-errors.ts";
import { localStatus } from "./local-status.ts";
import type { LaunchSupervisor } from "./local-types.ts";
import { runSupervisor } from "./run-supervisor.ts";
import { readSupervisorRecord } from "./supervisor-record.ts";
import { eventually, get, makeStateDir, nodeRelease } from "./test-releases.ts";

// The supervisor runs inside the test process here (launchSupervisor is handed in for exactly this), so
// its code is measured and its shutdown observed; run-supervisor.test.ts covers the detached process.
let stateDir = "";
const stop = new AbortController();
const supervisors: { envDir: string; done: Promise<{ reason: string }> }[] = [];
const inProcess: LaunchSupervisor = (envDir) => {
  supervisors.push({
    envDir,
    done: runSupervisor({
      envDir,
      baseEnv: { PATH: process.env["PATH"] },
      signal: stop.signal,
      stopGraceMs: 1_000,
      drainMs: 2_000,
      watchIntervalMs: 100,
      backoff: { initialMs: 50, maxMs: 1_000, resetAfterMs: 60_000 },
    }),
  });
};
const reasons = (): Promise<string[]> => Promise.all(supervisors.map((s) => s.done.then((r) => r.reason)));

beforeAll(async () => {
  stateDir = await makeStateDir();
});

afterAll(async () => {
  stop.abort();
  await reasons();
  await rm(stateDir, { recursive: true, force: true });
});

const deploy = async (envName: string, version: string, extra: { port?: number } = {}) => {
  const release = await nodeRelease({ stateDir, envName, version });
  return deployLocal({
    stateDir,
    envName,
    ...release,
    ...extra,
    env: { TOKEN: "s3cret" },
    launchSupervisor: inProcess,
  });
};

describe("Supervisor (in process)", () => {
  it("runs concurrent deploys one after the other", async () => {
    const [a, b] = await Promise.all([deploy("queue", "q1"), deploy("queue", "q2")]);
    const [first, second] = a.release < b.release ? [a, b] : [b, a];
    expect(first).toMatchObject({ ok: true, release: 1 });
    expect(first).not.toHaveProperty("previous");
    expect(second).toMatchObject({ ok: true, release: 2, previous: 1 });
    const lastVersion = second === a ? "q1" : "q2";
    expect(await get(second.ok ? second.url : "")).toEqual({
      status: 200,
      body: `hello from ${lastVersion}\n`,
    });
    const status = await localStatus({ stateDir, envName: "queue" });
    expect(status).toMatchObject({
      running: true,
      supervisorPid: process.pid,
      current: { release: 2, state: "up" },
    });
    expect(status.current?.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(status)).not.toContain("s3cret");
  });

  it("keeps the environment's port: a different wish is refused while it runs", async () => {
    const status = await localStatus({ stateDir, envName: "queue" });
    const port = Number(new URL(status.url ?? "").port);
    const error: unknown = await deploy("queue", "q3", { port: port + 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortConflictError);
    expect(String(error)).toContain(`environment "queue" already answers at ${status.url ?? ""}`);
    expect(await deploy("queue", "q3", { port })).toMatchObject({ ok: true, release: 3 });
  });

  it("records its pid, socket, port and release processes in supervisor.json", async () => {
    const status = await localStatus({ stateDir, envName: "queue" });
    const record = await readSupervisorRecord(join(stateDir, "envs", "queue", "supervisor.json"));
    expect(record).toMatchObject({ pid: process.pid, port: Number(new URL(status.url ?? "").port) });
    expect(record?.socket).toBe(join(stateDir, "envs", "queue", "control.sock"));
    expect(record?.children).toEqual([{ release: 3, pid: status.current?.pid }]);
  });

  it("does not start a second supervisor for an environment that has one", async () => {
    const envDir = join(stateDir, "envs", "queue");
    expect(await runSupervisor({ envDir, baseEnv: {} })).toEqual({
      reason: "another supervisor already serves this environment",
    });
  });

  it("restarts a crashed release with backoff and says so in the log", async () => {
    const result = await deploy("crash", "c1");
    const url = result.ok ? result.url : "";
    await get(`${url}/crash`);
    await eventually(async () => {
      const status = await localStatus({ stateDir, envName: "crash" });
      return status.current?.state === "up" && status.current.restarts === 1 ? true : undefined;
    });
    expect(await get(url)).toEqual({ status: 200, body: "hello from c1\n" });
    const log = await readFile(join(stateDir, "envs", "crash", "logs", "1.log"), "utf8");
    expect(log).toContain('"stream":"stderr","line":"crashing on request"');
    expect(log).toContain("restarting in 50 ms (restart 1)");
  });

  it("stops on POST /stop (destroy), and on its signal", async () => {
    const crashEnv = supervisors.filter((s) => s.envDir === join(stateDir, "envs", "crash"));
    expect(await destroyLocal({ stateDir, envName: "crash" })).toEqual({ existed: true });
    expect(await Promise.all(crashEnv.map((s) => s.done))).toEqual([{ reason: "stopped by request" }]);
    stop.abort();
    // The concurrent deploys of the first test may each have launched one; a second one sees the first and leaves.
    const all = await reasons();
    expect(all.filter((r) => r === "signalled")).toHaveLength(1);
    expect(all.filter((r) => r !== "another supervisor already serves this environment").sort()).toEqual([
      "signalled",
      "stopped by request",
    ]);
  });
});
