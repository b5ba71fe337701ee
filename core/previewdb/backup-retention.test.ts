import { describe, expect, it } from "vitest";
import type { BackupRecord } from "./backup-index.ts";
import { applyRetention } from "./backup-retention.ts";

const DAY = 86_400_000;
const now = new Date("2030-01-31T00:00:00Z");
const record = (daysAgo: number): BackupRecord => {
  const createdAt = new Date(now.getTime() - daysAgo * DAY).toISOString();
  return {
    id: `db@${createdAt}`,
    database: "db",
    digest: `sha256:${"0".repeat(64)}`,
    bytes: 1,
    createdAt,
    format: "pg_dump-custom",
  };
};
const ages = (records: BackupRecord[]): number[] =>
  records.map((r) => (now.getTime() - Date.parse(r.createdAt)) / DAY);
const records = [5, 1, 40, 2, 10, 30].map(record);

describe("applyRetention", () => {
  it("keeps everything when no policy is set", () => {
    expect(ages(applyRetention(records, {}, now).keep)).toEqual([1, 2, 5, 10, 30, 40]);
  });
  it("keeps the newest N", () => {
    const { keep, drop } = applyRetention(records, { keepLast: 2 }, now);
    expect([ages(keep), ages(drop)]).toEqual([
      [1, 2],
      [5, 10, 30, 40],
    ]);
  });
  it("keeps those younger than a duration", () => {
    expect(ages(applyRetention(records, { keepNewerThanMs: 7 * DAY }, now).keep)).toEqual([1, 2, 5]);
  });
  it("keeps the union of both rules, so old backups survive when no new ones are made", () => {
    expect(ages(applyRetention(records, { keepLast: 4, keepNewerThanMs: 3 * DAY }, now).keep)).toEqual([
      1, 2, 5, 10,
    ]);
    expect(
      ages(applyRetention([record(50), record(60)], { keepLast: 1, keepNewerThanMs: DAY }, now).keep),
    ).toEqual([50]);
  });
});
