import { describe, expect, it } from "vitest";
import { runDueBackups, type BackupSchedule } from "./run-due-backups.ts";

const daily: BackupSchedule = { env: "production", schedule: "0 3 * * *", retain: 7 };
const hourly: BackupSchedule = { env: "staging", schedule: "@hourly", retain: 2 };

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    backup: async (s: BackupSchedule) => {
      calls.push(s.env);
      return `backup of ${s.env}`;
    },
  };
}

describe("runDueBackups", () => {
  it("does not back-fill a schedule seen for the first time, and remembers it", async () => {
    const { calls, backup } = recorder();
    const now = new Date("2030-01-01T12:00:00Z");
    const result = await runDueBackups({ schedules: [daily], now, lastRuns: {}, backup });
    expect(calls).toEqual([]);
    expect(result.lastRuns).toEqual({ production: now.toISOString() });
    expect(result.nextRuns).toEqual({ production: "2030-01-02T03:00:00.000Z" });
  });

  it("runs what is due, once per schedule however many times were missed", async () => {
    const { calls, backup } = recorder();
    const now = new Date("2030-01-05T03:02:00Z");
    const result = await runDueBackups({
      schedules: [daily, hourly],
      now,
      lastRuns: { production: "2030-01-01T12:00:00.000Z", staging: "2030-01-05T02:30:00.000Z" },
      backup,
    });
    expect(calls).toEqual(["production", "staging"]);
    expect(result.results).toEqual([
      { env: "production", due: "2030-01-02T03:00:00.000Z", ok: true, value: "backup of production" },
      { env: "staging", due: "2030-01-05T03:00:00.000Z", ok: true, value: "backup of staging" },
    ]);
    expect(result.lastRuns).toEqual({ production: now.toISOString(), staging: now.toISOString() });
    expect(result.nextRuns).toEqual({
      production: "2030-01-06T03:00:00.000Z",
      staging: "2030-01-05T04:00:00.000Z",
    });
  });

  it("leaves what is not due alone", async () => {
    const { calls, backup } = recorder();
    const lastRuns = { production: "2030-01-05T03:00:00.000Z" };
    const result = await runDueBackups({
      schedules: [daily],
      now: new Date("2030-01-06T02:59:59Z"),
      lastRuns,
      backup,
    });
    expect(calls).toEqual([]);
    expect(result.results).toEqual([]);
    expect(result.lastRuns).toEqual(lastRuns);
  });

  it("reports a failed backup and keeps its last run so the next call retries; others still run", async () => {
    const calls: string[] = [];
    const result = await runDueBackups({
      schedules: [daily, hourly],
      now: new Date("2030-01-05T03:02:00Z"),
      lastRuns: { production: "2030-01-04T03:00:00.000Z", staging: "2030-01-05T02:00:00.000Z" },
      backup: async (s) => {
        calls.push(s.env);
        if (s.env === "production") throw new Error("cannot reach the database server at db:5432");
        return s.retain;
      },
    });
    expect(calls).toEqual(["production", "staging"]);
    expect(result.results[0]).toEqual({
      env: "production",
      due: "2030-01-05T03:00:00.000Z",
      ok: false,
      error: "cannot reach the database server at db:5432",
    });
    expect(result.results[1]).toMatchObject({ env: "staging", ok: true, value: 2 });
    expect(result.lastRuns["production"]).toBe("2030-01-04T03:00:00.000Z");
  });

  it("reports an unreadable schedule without running anything for it", async () => {
    const { calls, backup } = recorder();
    const result = await runDueBackups({
      schedules: [{ env: "production", schedule: "0 25 * * *", retain: 7 }, hourly],
      now: new Date("2030-01-05T03:02:00Z"),
      lastRuns: { production: "2030-01-01T00:00:00.000Z", staging: "2030-01-05T02:00:00.000Z" },
      backup,
    });
    expect(calls).toEqual(["staging"]);
    expect(result.invalid).toEqual([{ env: "production", error: expect.stringMatching(/hour field "25"/) }]);
    expect(result.lastRuns["production"]).toBe("2030-01-01T00:00:00.000Z");
  });

  it("treats an unreadable last run as never", async () => {
    const { calls, backup } = recorder();
    const now = new Date("2030-01-05T03:02:00Z");
    const result = await runDueBackups({
      schedules: [daily],
      now,
      lastRuns: { production: "yesterday" },
      backup,
    });
    expect(calls).toEqual([]);
    expect(result.lastRuns).toEqual({ production: now.toISOString() });
  });
});
