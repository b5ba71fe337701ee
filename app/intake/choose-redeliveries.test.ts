import { describe, expect, it } from "vitest";
import { chooseRedeliveries, unsuccessfulGuids, type DeliveryAttempt } from "./choose-redeliveries.ts";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const HOUR = 3600_000;
let nextId = 100;

function attempt(guid: string, statusCode: number, hoursAgo = 1, extra: Partial<DeliveryAttempt> = {}) {
  return {
    id: nextId++,
    guid,
    deliveredAt: new Date(NOW - hoursAgo * HOUR).toISOString(),
    redelivery: false,
    statusCode,
    event: "push",
    action: null,
    ...extra,
  } satisfies DeliveryAttempt;
}

const choose = (
  attempts: DeliveryAttempt[],
  more: { received?: string[]; asked?: Record<string, { asks: number; lastAttemptId: number }> } = {},
) =>
  chooseRedeliveries({
    attempts,
    received: new Set(more.received ?? []),
    asked: new Map(Object.entries(more.asked ?? {})),
    now: NOW,
  });

describe("chooseRedeliveries", () => {
  it("redelivers the latest attempt of a delivery no attempt of which got a 2xx", () => {
    const first = attempt("a", 502, 2);
    const again = attempt("a", 0, 1, { redelivery: true });
    expect(choose([again, first])).toEqual([
      { guid: "a", event: "push", action: "redeliver", attemptId: again.id, attempts: 2 },
    ]);
  });

  it("leaves a delivery alone once any attempt succeeded", () => {
    expect(choose([attempt("a", 502, 2), attempt("a", 202, 1, { redelivery: true })])).toEqual([]);
    expect(choose([attempt("b", 200)])).toEqual([]);
    // A 3xx or 4xx answer is not a success: the app did not take the delivery in.
    expect(choose([attempt("c", 301)]).map((v) => v.action)).toEqual(["redeliver"]);
  });

  it("skips a delivery the intake holds (GitHub saw a timeout, the app got it)", () => {
    expect(choose([attempt("D-1", 0)], { received: ["d-1"] })).toMatchObject([
      { guid: "D-1", action: "skip", reason: "received" },
    ]);
  });

  it("skips deliveries older than the lookback (GitHub keeps three days)", () => {
    expect(choose([attempt("old", 502, 73)])).toMatchObject([{ action: "skip", reason: "too-old" }]);
    expect(choose([attempt("recent", 502, 71)])).toMatchObject([{ action: "redeliver" }]);
  });

  it("gives up after three attempts, counting asks the log does not show yet", () => {
    const failedThrice = [attempt("x", 502, 3), attempt("x", 502, 2), attempt("x", 502, 1)];
    expect(choose(failedThrice)).toMatchObject([{ action: "skip", reason: "gave-up", attempts: 3 }]);
    const once = attempt("y", 502);
    expect(choose([once], { asked: { y: { asks: 2, lastAttemptId: 0 } } })).toMatchObject([
      { action: "skip", reason: "gave-up", attempts: 3 },
    ]);
  });

  it("waits for the redelivery it asked for, and asks again when that one failed too", () => {
    const first = attempt("w", 502, 2);
    expect(choose([first], { asked: { w: { asks: 1, lastAttemptId: first.id } } })).toMatchObject([
      { action: "skip", reason: "waiting" },
    ]);
    const second = attempt("w", 0, 1, { redelivery: true });
    expect(choose([first, second], { asked: { w: { asks: 1, lastAttemptId: first.id } } })).toMatchObject([
      { action: "redeliver", attemptId: second.id, attempts: 2 },
    ]);
    // An ask that never reached GitHub is released (lastAttemptId 0): the same attempt is asked for again.
    expect(choose([first], { asked: { w: { asks: 1, lastAttemptId: 0 } } })).toMatchObject([
      { action: "redeliver", attemptId: first.id },
    ]);
  });

  it("answers oldest delivery first, so events reach the app in the order they happened", () => {
    const newer = attempt("newer", 502, 1);
    const older = attempt("older", 502, 5);
    const olderAgain = attempt("older", 502, 0.5, { redelivery: true });
    expect(choose([newer, olderAgain, older]).map((v) => v.guid)).toEqual(["older", "newer"]);
  });

  it("lists the guids worth asking the intake about", () => {
    const attempts = [attempt("ok", 202), attempt("bad", 502), attempt("bad", 500), attempt("ok", 502)];
    expect(unsuccessfulGuids(attempts)).toEqual(["bad"]);
  });
});
