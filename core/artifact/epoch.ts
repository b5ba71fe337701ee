/**
 * The time stamped on every tar entry when `SOURCE_DATE_EPOCH` is unset: 1980-01-01 00:00:00 UTC, the
 * constant reproducible-build tools use (it is also the earliest time a zip file can hold).
 */
export const DEFAULT_EPOCH = 315532800;

/** The largest time an 11-digit octal ustar field holds (year 2242). */
export const MAX_EPOCH = 0o77777777777;

/** `SOURCE_DATE_EPOCH` was set to something that is not a whole number of seconds. */
export class SourceDateEpochError extends Error {
  readonly value: string;
  constructor(value: string, why: string) {
    super(
      `SOURCE_DATE_EPOCH is "${value}": ${why}. Set it to whole seconds since 1970-01-01 UTC ` +
        `(for example the commit time, git log -1 --format=%ct), or unset it to use ${DEFAULT_EPOCH} (1980-01-01).`,
    );
    this.name = "SourceDateEpochError";
    this.value = value;
  }
}

/**
 * The entry time for packed layers: `SOURCE_DATE_EPOCH` from `env` when set (reproducible-builds.org
 * convention), else `DEFAULT_EPOCH`. An empty value counts as unset.
 * @example epochFromEnv(process.env) // 315532800 unless SOURCE_DATE_EPOCH is set
 */
export function epochFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env["SOURCE_DATE_EPOCH"];
  if (raw === undefined || raw.trim() === "") return DEFAULT_EPOCH;
  const text = raw.trim();
  if (!/^[0-9]+$/.test(text)) throw new SourceDateEpochError(raw, "not a non-negative integer");
  const value = Number(text);
  if (value > MAX_EPOCH)
    throw new SourceDateEpochError(raw, `later than ${MAX_EPOCH}, the most a tar header holds`);
  return value;
}
