const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`10m`, `2h`, `1d`, `30s`) or an ISO time; null when neither. */
export function parseSince(value: string, now: Date): Date | null {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (match) return new Date(now.getTime() - Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1000));
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}
