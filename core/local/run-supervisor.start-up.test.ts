import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlStream } from "./control-client.ts";
import { parseSupervisorEvent } from "./control-protocol.ts";
import { controlSocketPath } from "./control-socket-path.ts";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import { envDirFor } from "./env-paths.ts";
import { localStatus } from "./local-status.ts";
import type { LocalDeployResult } from "./local-types.ts";
import { get, launchSupervisor, makeStateDir, nodeRelease } from "./test-releases.ts";

const ROUNDS = 3;
let stateDir = "";

beforeAll(async () => {
  stateDir = await makeStateDir();
});

afterAll(async () => {
  for (let round = 0; round < ROUNDS; round += 1) await destroyLocal({ stateDir, envName: `race-${round}` });
  await rm(stateDir, { recursive: true, force: true });
});

/** Sends a deploy the moment the control socket exists: before the supervisor could do anything else. */
async function deployAtOnce(envName: string, version: string): Promise<LocalDeployResult> {
  const release = await nodeRelease({ stateDir, envName, version });
  const envDir = envDirFor({ stateDir, envName });
  await mkdir(envDir, { recursive: true });
  const socket = controlSocketPath(envDir);
  await launchSupervisor(envDir);
  while (!existsSync(socket)) await nextTurn();
  for (;;) {
    try {
      const command = { ...release, releaseDir: resolve(release.releaseDir), env: {} };
      for await (const raw of controlStream(socket, "/deploy", command)) {
        const event = parseSupervisorEvent(raw);
        if (event.type === "result") return event.result;
        if (event.type === "error") throw new Error(event.message);
      }
      throw new Error("the deploy stream ended without a result");
    } catch (error) {
      // Bound but not yet listening: try again at once.
      if (error instanceof Error && /ECONNREFUSED|ENOENT/.test(error.message)) continue;
      throw error;
    }
  }
}

describe("a supervisor that has just started", () => {
  it("runs a deploy that arrives as soon as its socket answers after its start-up work, not before", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const envName = `race-${round}`;
      const first = await deployAtOnce(envName, `a${round}`);
      expect(first).toMatchObject({ ok: true, release: 1 });
      const supervisorPid = (await localStatus({ stateDir, envName })).supervisorPid;
      // Queued behind whatever the start-up work does: it must not have ended the first release or itself.
      const release = await nodeRelease({ stateDir, envName, version: `b${round}` });
      const second = await deployLocal({ stateDir, envName, ...release, launchSupervisor });
      expect(second).toMatchObject({ ok: true, release: 2, previous: 1 });
      const status = await localStatus({ stateDir, envName });
      expect(status.supervisorPid).toBe(supervisorPid);
      expect(status.current).toMatchObject({ release: 2, state: "up", restarts: 0 });
      expect(await get(second.ok ? second.url : "")).toEqual({ status: 200, body: `hello from b${round}\n` });
    }
  });
});
