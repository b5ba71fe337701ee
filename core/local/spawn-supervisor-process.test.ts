import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSupervisor } from "./ensure-supervisor.ts";
import { SupervisorUnavailableError } from "./local-errors.ts";
import { spawnSupervisorProcess } from "./spawn-supervisor-process.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aether-spawn-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("launching supervisors", () => {
  it("rejects with the command when the node binary cannot be spawned", async () => {
    const launch = spawnSupervisorProcess("/entry.ts", join(dir, "no-such-node"));
    await expect(launch(dir)).rejects.toThrow(
      `could not start ${join(dir, "no-such-node")} /entry.ts: spawn`,
    );
  });

  it("gives a clear error when a launched supervisor never answers", async () => {
    const error: unknown = await ensureSupervisor({
      envDir: dir,
      launchSupervisor: () => undefined,
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorUnavailableError);
    expect(String(error)).toContain(
      `did not answer on ${join(dir, "control.sock")} within 0.2 s; see ${dir}/supervisor.log`,
    );
  });
});
