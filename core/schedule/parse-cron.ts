/** A parsed 5-field cron expression: the values each field allows (sorted), and which day fields were `*`. */
export interface CronSchedule {
  expression: string;
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: readonly number[];
  months: readonly number[];
  /** 0 = Sunday … 6 = Saturday (7 is read as Sunday too). */
  daysOfWeek: readonly number[];
  /**
   * Whether day-of-month / day-of-week began with `*`. As in Vixie cron, when both are restricted a day
   * matches if EITHER does (`0 0 1 * MON`: the 1st and every Monday); otherwise both must.
   */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
}

/** What a field is called in messages, and its range. */
interface FieldSpec {
  name: "minute" | "hour" | "day-of-month" | "month" | "day-of-week";
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 0, max: 7, names: DAYS },
];
const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const HINT =
  'A schedule is 5 fields, "minute hour day-of-month month day-of-week" in UTC, such as "0 3 * * *" ' +
  '(03:00 every day) or "*/15 * * * MON-FRI"; or @hourly, @daily, @weekly, @monthly, @yearly.';

/** A cron expression that cannot be read; `field` names the part at fault (or "expression"). */
export class CronSyntaxError extends Error {
  readonly field: FieldSpec["name"] | "expression";
  constructor(expression: string, field: FieldSpec["name"] | "expression", detail: string) {
    super(
      `cron schedule "${expression}": ${field === "expression" ? "" : `${field} field `}${detail}. ${HINT}`,
    );
    this.name = "CronSyntaxError";
    this.field = field;
  }
}

/**
 * Reads a 5-field cron expression: `*`, numbers, ranges `1-5`, steps `*\/15` `0-30/10` `5/20`, lists `1,15`,
 * month and day names (`JAN`, `mon-fri`, any case), and the @daily-style macros. Throws `CronSyntaxError`
 * naming the field at fault, also for a day-of-month no listed month has (`0 0 31 2 *`).
 * @example parseCron("0 3 * * MON-FRI").daysOfWeek // [1, 2, 3, 4, 5]
 */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const expanded = trimmed.startsWith("@") ? MACROS[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined)
    throw new CronSyntaxError(expression, "expression", `"${trimmed}" is not a known macro`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    throw new CronSyntaxError(
      expression,
      "expression",
      `has ${parts.length} field${parts.length === 1 ? "" : "s"}, not 5`,
    );
  const [minutes, hours, daysOfMonth, months, weekdays] = FIELDS.map((spec, i) =>
    parseField(expression, spec, parts[i] ?? ""),
  );
  if (!minutes || !hours || !daysOfMonth || !months || !weekdays) throw new Error("unreachable: 5 fields");
  const daysOfWeek = [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b);
  const schedule: CronSchedule = {
    expression: trimmed,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOfMonthStar: (parts[2] ?? "").startsWith("*"),
    dayOfWeekStar: (parts[4] ?? "").startsWith("*"),
  };
  const possible = months.some((m) => daysOfMonth.some((d) => d <= (DAYS_IN_MONTH[m - 1] ?? 31)));
  if (schedule.dayOfWeekStar && !possible) {
    throw new CronSyntaxError(
      expression,
      "day-of-month",
      `"${parts[2]}" never falls in month(s) "${parts[3]}"`,
    );
  }
  return schedule;
}

function parseField(expression: string, spec: FieldSpec, text: string): number[] {
  const fail = (detail: string): never => {
    throw new CronSyntaxError(expression, spec.name, `"${text}": ${detail}`);
  };
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") fail("has an empty list item");
    const [range = "", stepText, extra] = item.split("/");
    if (extra !== undefined) fail(`"${item}" has more than one /`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        fail(`step "${stepText}" must be a whole number of at least 1`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    if (range === "*") {
      low = spec.min;
      high = spec.name === "day-of-week" ? 6 : spec.max;
    } else {
      const [from = "", to, more] = range.split("-");
      if (more !== undefined) fail(`"${range}" is not a range a-b`);
      low = value(from, spec, fail);
      // `5/20` means from 5 to the end in steps of 20, as Vixie cron reads it.
      high = to !== undefined ? value(to, spec, fail) : stepText !== undefined ? spec.max : low;
      if (high < low) fail(`range "${range}" runs backwards (write the smaller value first)`);
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function value(text: string, spec: FieldSpec, fail: (detail: string) => never): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named !== -1) return spec.name === "month" ? named + 1 : named;
  if (!/^\d+$/.test(text)) {
    const names = spec.names ? ` or a name (${spec.names.join(", ").toUpperCase()})` : "";
    return fail(`"${text}" is not a number${names}`);
  }
  const n = Number(text);
  if (n < spec.min || n > spec.max) fail(`${n} is out of range ${spec.min}-${spec.max}`);
  return n;
}
