import { describe, expect, it } from "vitest";
import { CronNeverRunsError, nextRun } from "./next-run.ts";
import { parseCron } from "./parse-cron.ts";

const at = (iso: string) => new Date(iso);
const next = (expression: string, after: string) => nextRun(expression, at(after)).toISOString();

describe("nextRun (UTC)", () => {
  it("finds the next minute strictly after the given time", () => {
    expect(next("0 3 * * *", "2030-01-01T02:59:59Z")).toBe("2030-01-01T03:00:00.000Z");
    expect(next("0 3 * * *", "2030-01-01T03:00:00Z")).toBe("2030-01-02T03:00:00.000Z");
    expect(next("0 3 * * *", "2030-01-01T03:00:30Z")).toBe("2030-01-02T03:00:00.000Z");
    expect(next("* * * * *", "2030-01-01T03:00:30Z")).toBe("2030-01-01T03:01:00.000Z");
    expect(next("*/15 * * * *", "2030-01-01T03:14:00Z")).toBe("2030-01-01T03:15:00.000Z");
  });

  it("rolls over hours, days, months and years", () => {
    expect(next("30 23 * * *", "2030-01-31T23:30:00Z")).toBe("2030-02-01T23:30:00.000Z");
    expect(next("0 0 1 1 *", "2030-06-15T12:00:00Z")).toBe("2031-01-01T00:00:00.000Z");
    expect(next("0 12 31 * *", "2030-04-01T00:00:00Z")).toBe("2030-05-31T12:00:00.000Z");
  });

  it("finds 29 February in the next leap year", () => {
    expect(next("0 0 29 2 *", "2030-03-01T00:00:00Z")).toBe("2032-02-29T00:00:00.000Z");
    expect(next("0 0 29 2 *", "2096-03-01T00:00:00Z")).toBe("2104-02-29T00:00:00.000Z");
  });

  it("matches either day field when both are restricted, both when one is a star", () => {
    // 2030-01-01 is a Tuesday.
    expect(next("0 0 15 * MON", "2030-01-01T00:00:00Z")).toBe("2030-01-07T00:00:00.000Z");
    expect(next("0 0 15 * MON", "2030-01-14T00:00:00Z")).toBe("2030-01-15T00:00:00.000Z");
    expect(next("0 9 * * MON-FRI", "2030-01-04T09:00:00Z")).toBe("2030-01-07T09:00:00.000Z");
    expect(next("0 0 */10 * *", "2030-01-01T00:00:00Z")).toBe("2030-01-11T00:00:00.000Z");
    expect(next("0 0 * * SUN", "2030-01-01T00:00:00Z")).toBe("2030-01-06T00:00:00.000Z");
  });

  it("takes a parsed schedule as well as text", () => {
    expect(nextRun(parseCron("@hourly"), at("2030-01-01T00:00:00Z")).toISOString()).toBe(
      "2030-01-01T01:00:00.000Z",
    );
  });

  it("refuses other time zones and invalid dates", () => {
    expect(() => nextRun("@daily", at("2030-01-01T00:00:00Z"), "Europe/Paris" as "UTC")).toThrow(
      /time zone "Europe\/Paris" is not supported/,
    );
    expect(() => nextRun("@daily", new Date(Number.NaN))).toThrow(/not a valid date/);
  });

  it("says so when a schedule never fires", () => {
    // parseCron refuses such schedules; a hand-made one shows nextRun still ends its search.
    const never = { ...parseCron("0 0 31 4 MON"), daysOfWeek: [] };
    expect(() => nextRun(never, at("2030-01-01T00:00:00Z"))).toThrow(CronNeverRunsError);
  });
});
