import { parseCron, type CronSchedule } from "./parse-cron.ts";

const MINUTE = 60_000;
/** Long enough to reach any 29 February (at most 8 years apart); a schedule past it never runs. */
const SEARCH_YEARS = 9;

/** The schedule matches no date in the years searched (possible only with both day fields restricted away). */
export class CronNeverRunsError extends Error {
  constructor(expression: string) {
    super(
      `cron schedule "${expression}" matches no date in the next ${SEARCH_YEARS} years; check its day and month fields`,
    );
    this.name = "CronNeverRunsError";
  }
}

/**
 * The first time strictly after `after` (to the minute) that the schedule fires, in `timeZone`. Only UTC is
 * supported: servers and the app run schedules in UTC so daylight-saving changes never skip or repeat one.
 * @example nextRun("0 3 * * *", new Date("2030-01-01T03:00:00Z")) // 2030-01-02T03:00:00.000Z
 */
export function nextRun(expression: string | CronSchedule, after: Date, timeZone: "UTC" = "UTC"): Date {
  if (timeZone !== "UTC") throw new Error(`cron time zone "${String(timeZone)}" is not supported; use UTC`);
  const schedule = typeof expression === "string" ? parseCron(expression) : expression;
  if (Number.isNaN(after.getTime())) throw new Error("nextRun: `after` is not a valid date");
  const t = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
  const limit = t.getUTCFullYear() + SEARCH_YEARS;
  while (t.getUTCFullYear() <= limit) {
    if (!schedule.months.includes(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.includes(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.includes(t.getUTCMinutes())) {
      t.setTime(t.getTime() + MINUTE);
    } else {
      return t;
    }
  }
  throw new CronNeverRunsError(schedule.expression);
}

function dayMatches(schedule: CronSchedule, t: Date): boolean {
  const dom = schedule.daysOfMonth.includes(t.getUTCDate());
  const dow = schedule.daysOfWeek.includes(t.getUTCDay());
  if (schedule.dayOfMonthStar || schedule.dayOfWeekStar) return dom && dow;
  return dom || dow;
}
