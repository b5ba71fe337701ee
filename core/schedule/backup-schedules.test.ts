import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse-config.ts";
import { backupSchedules } from "./backup-schedules.ts";

describe("backupSchedules", () => {
  it("reads environments.<name>.backupSchedule and backupRetain from the config file, with retain defaulting to 7", () => {
    const parsed = parseConfig(
      [
        "version: 1",
        "environments:",
        "  staging:",
        "    backupSchedule: '@hourly'",
        "    backupRetain: 3",
        "  production:",
        "    backupSchedule: '0 3 * * *'",
        "  qa: {}",
      ].join("\n"),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(backupSchedules(parsed.config)).toEqual([
      { env: "production", schedule: "0 3 * * *", retain: 7 },
      { env: "staging", schedule: "@hourly", retain: 3 },
    ]);
  });

  it("is refused by the config validator when not 5 fields or a macro, or retain is below 1", () => {
    const parsed = parseConfig(
      "version: 1\nenvironments:\n  production:\n    backupSchedule: '0 3 * *'\n    backupRetain: 0\n",
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain("environments.production.backupSchedule");
    expect(parsed.message).toContain("environments.production.backupRetain");
  });
});
