import type { BackupRecord } from "./backup-index.ts";

export interface RetentionPolicy {
  /** Keep at least the newest N backups. */
  keepLast?: number;
  /** Keep every backup younger than this. */
  keepNewerThanMs?: number;
}

/**
 * Splits backups into those a policy keeps and those it lets go: a backup is kept when it is among the
 * newest `keepLast` or younger than `keepNewerThanMs`. With neither set, everything is kept (forgetting
 * backups must be asked for). Pure: the caller rewrites the index.
 * @example applyRetention(records, { keepLast: 7, keepNewerThanMs: 30 * DAY }, now)
 */
export function applyRetention(
  records: BackupRecord[],
  policy: RetentionPolicy,
  now: Date,
): { keep: BackupRecord[]; drop: BackupRecord[] } {
  const newestFirst = [...records].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  if (policy.keepLast === undefined && policy.keepNewerThanMs === undefined)
    return { keep: newestFirst, drop: [] };
  const keep: BackupRecord[] = [];
  const drop: BackupRecord[] = [];
  newestFirst.forEach((record, index) => {
    const recent = policy.keepLast !== undefined && index < policy.keepLast;
    const young =
      policy.keepNewerThanMs !== undefined &&
      now.getTime() - Date.parse(record.createdAt) < policy.keepNewerThanMs;
    (recent || young ? keep : drop).push(record);
  });
  return { keep, drop };
}
