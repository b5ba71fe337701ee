import { describe, expect, it } from "vitest";
import { CronSyntaxError, parseCron } from "./parse-cron.ts";

describe("parseCron", () => {
  it("reads numbers, ranges, steps, lists and stars", () => {
    const cron = parseCron("*/15 0-6/2 1,15,31 * *");
    expect(cron.minutes).toEqual([0, 15, 30, 45]);
    expect(cron.hours).toEqual([0, 2, 4, 6]);
    expect(cron.daysOfMonth).toEqual([1, 15, 31]);
    expect(cron.months).toHaveLength(12);
    expect(cron.daysOfWeek).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(cron.dayOfMonthStar).toBe(false);
    expect(cron.dayOfWeekStar).toBe(true);
  });

  it("reads month and day names in any case, and 7 as Sunday", () => {
    const cron = parseCron("0 3 * jan,Jun-AUG mon-FRI");
    expect(cron.months).toEqual([1, 6, 7, 8]);
    expect(cron.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron("0 0 * * 5-7").daysOfWeek).toEqual([0, 5, 6]);
    expect(parseCron("0 0 * * SUN").daysOfWeek).toEqual([0]);
  });

  it("reads a start with a step as running to the end of the range", () => {
    expect(parseCron("5/20 * * * *").minutes).toEqual([5, 25, 45]);
    expect(parseCron("10-20/5 * * * *").minutes).toEqual([10, 15, 20]);
  });

  it("expands macros", () => {
    expect(parseCron("@daily")).toMatchObject({ minutes: [0], hours: [0] });
    expect(parseCron("@hourly").hours).toHaveLength(24);
    expect(parseCron("@weekly").daysOfWeek).toEqual([0]);
    expect(parseCron(" @MONTHLY ").daysOfMonth).toEqual([1]);
  });

  const invalid: Array<[string, string, RegExp]> = [
    ["0 3 * *", "expression", /has 4 fields, not 5/],
    ["0 3 * * * *", "expression", /has 6 fields, not 5/],
    ["", "expression", /has 1 field, not 5/],
    ["@reboot", "expression", /"@reboot" is not a known macro/],
    ["60 * * * *", "minute", /minute field "60": 60 is out of range 0-59/],
    ["0 24 * * *", "hour", /hour field "24": 24 is out of range 0-23/],
    ["0 0 0 * *", "day-of-month", /day-of-month field "0": 0 is out of range 1-31/],
    ["0 0 * 13 *", "month", /month field "13": 13 is out of range 1-12/],
    ["0 0 * * 8", "day-of-week", /day-of-week field "8": 8 is out of range 0-7/],
    ["0 0 * foo *", "month", /"foo" is not a number or a name \(JAN, FEB/],
    ["0 0 * * funday", "day-of-week", /"funday" is not a number or a name \(SUN, MON/],
    ["*/0 * * * *", "minute", /step "0" must be a whole number of at least 1/],
    ["*/x * * * *", "minute", /step "x"/],
    ["0 5-1 * * *", "hour", /range "5-1" runs backwards/],
    ["0 1-2-3 * * *", "hour", /"1-2-3" is not a range a-b/],
    ["0 1,,2 * * *", "hour", /empty list item/],
    ["0 1/2/3 * * *", "hour", /more than one \//],
    ["0 0 30,31 feb *", "day-of-month", /"30,31" never falls in month\(s\) "feb"/],
    ["-1 * * * *", "minute", /"" is not a number/],
  ];
  for (const [expression, field, message] of invalid) {
    it(`refuses "${expression}", naming the ${field}`, () => {
      const error = (() => {
        try {
          parseCron(expression);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(CronSyntaxError);
      expect(error).toMatchObject({ field });
      expect(String(error)).toMatch(message);
      expect(String(error)).toContain("minute hour day-of-month month day-of-week");
    });
  }

  it("accepts 31 February when a day of the week may match instead (either day field, as in cron)", () => {
    expect(parseCron("0 0 31 2 MON").daysOfMonth).toEqual([31]);
  });
});
