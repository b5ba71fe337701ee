import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DeployReport } from "./deploy-app.ts";
import { appendDeployRecord, firstSuccessfulTotal, readDeployHistory } from "./deploy-history.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function report(ok: boolean, total: number): DeployReport {
  return {
    ok,
    envName: "production",
    target: "local",
    layers: [],
    bytesUploaded: 0,
    bytesReused: 0,
    timings: { total },
  };
}

describe("deploy history", () => {
  it("appends records per environment and finds the first successful total", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "aether-history-"));
    dirs.push(stateDir);
    expect(await readDeployHistory({ stateDir, envName: "production" })).toEqual([]);
    await appendDeployRecord({ stateDir, record: { at: "2026-01-01T00:00:00Z", report: report(false, 50) } });
    await appendDeployRecord({
      stateDir,
      record: { at: "2026-01-01T00:01:00Z", report: report(true, 8200) },
    });
    await appendDeployRecord({
      stateDir,
      record: { at: "2026-01-01T00:02:00Z", report: report(true, 1400) },
    });
    const records = await readDeployHistory({ stateDir, envName: "production" });
    expect(records.map((r) => r.report.timings.total)).toEqual([50, 8200, 1400]);
    expect(firstSuccessfulTotal(records)).toBe(8200);
    expect(await readDeployHistory({ stateDir, envName: "staging" })).toEqual([]);
  });

  it("skips a torn line left by a crash", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "aether-history-"));
    dirs.push(stateDir);
    await appendDeployRecord({ stateDir, record: { at: "x", report: report(true, 10) } });
    await appendFile(join(stateDir, "history", "production.jsonl"), '{"at":"y","rep');
    expect(await readDeployHistory({ stateDir, envName: "production" })).toHaveLength(1);
    expect(firstSuccessfulTotal([])).toBeUndefined();
  });
});
