import { describe, expect, it } from "vitest";
import { CHECK_RUN_ACTIONS } from "./check-run-output.ts";
import { APPROVE_ACTION, renderApprovalWait, renderTimerWait } from "./held-check-run.ts";

const SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

describe("a held deploy's check run", () => {
  it("has an Approve button within GitHub's limits, apart from the finished run's buttons", () => {
    expect(APPROVE_ACTION.label.length).toBeLessThanOrEqual(20);
    expect(APPROVE_ACTION.identifier.length).toBeLessThanOrEqual(20);
    expect(APPROVE_ACTION.description.length).toBeLessThanOrEqual(40);
    expect(CHECK_RUN_ACTIONS.map((a) => a.identifier)).not.toContain(APPROVE_ACTION.identifier);
  });

  it("says who may approve, and that the asker may not when self-review is prevented", () => {
    const open = renderApprovalWait({
      env: "production",
      sha: SHA,
      reviewers: "@alice, team release",
      requestedBy: "dave",
      preventSelfReview: false,
    });
    expect(open.output.title).toBe("Waiting for approval by @alice, team release");
    expect(open.output.summary).toContain("Deploying `a1b2c3d` to **production**");
    expect(open.output.summary).not.toContain("self-review");
    expect(open.actions).toEqual([APPROVE_ACTION]);
    const barred = renderApprovalWait({
      env: "production",
      sha: SHA,
      reviewers: "@alice",
      requestedBy: "alice",
      preventSelfReview: true,
    });
    expect(barred.output.summary).toContain("@alice asked for it and cannot approve it");
  });

  it("says when a deploy held by the wait timer starts, without buttons", () => {
    const timed = renderTimerWait({
      env: "staging",
      sha: SHA,
      startsAt: new Date("2026-11-25T15:04:05.678Z"),
      waitTimerMinutes: 5,
      approvedBy: "alice",
    });
    expect(timed.output.title).toBe("Starts at 2026-11-25T15:04:05Z (wait timer of staging)");
    expect(timed.output.summary).toBe(
      "Approved by @alice. The GitHub environment **staging** has a wait timer of 5 min: `a1b2c3d` rolls out at 2026-11-25T15:04:05Z, not before.",
    );
    expect(timed.actions).toEqual([]);
  });
});
