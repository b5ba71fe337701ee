/** A log line as the API server sends it with `timestamps=true`, split into its time and its text. */
export interface TimedText {
  /** The server's RFC 3339 timestamp, as sent (nanoseconds on a kubelet, milliseconds on the test server). */
  time: string;
  /** `time` in a form that sorts as text: UTC, nine fraction digits. */
  key: string;
  line: string;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A sortable key for an RFC 3339 time: lexical order equals time order, at nanosecond precision. Times
 * with an offset go through Date (millisecond precision), which kubelets never send but proxies might.
 * @example timeKey("2026-11-25T10:00:00.5Z") // "2026-11-25T10:00:00.500000000Z"
 */
export function timeKey(time: string): string | undefined {
  const match = RFC3339.exec(time);
  if (!match) return undefined;
  const [, seconds = "", fraction = "", zone = "Z"] = match;
  if (zone === "Z") return `${seconds}.${fraction.padEnd(9, "0")}Z`;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : dateKey(new Date(ms));
}

/** The sortable key of a Date (see timeKey). */
export function dateKey(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000000Z`;
}

/**
 * Splits `2026-11-25T10:00:00.123456789Z text` into time and text; undefined when the line does not start
 * with a timestamp (it then belongs to the line before it, which the caller decides).
 */
export function parseKubeLogLine(raw: string): TimedText | undefined {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  const space = text.indexOf(" ");
  const time = space === -1 ? text : text.slice(0, space);
  const key = timeKey(time);
  if (key === undefined) return undefined;
  return { time, key, line: space === -1 ? "" : text.slice(space + 1) };
}
