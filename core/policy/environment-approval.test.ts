import { describe, expect, it } from "vitest";
import {
  approvalVerdict,
  approverVerdict,
  describeReviewers,
  rolloutNotBefore,
  type ApprovalFacts,
  type RequiredReviewers,
} from "./environment-approval.ts";

const RULE: RequiredReviewers = { users: ["alice"], teams: ["release"], preventSelfReview: false };
const facts = (overrides: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
  requestedBy: "dave",
  askerCounts: true,
  requesterIsReviewer: false,
  approvedBy: null,
  approverIsReviewer: false,
  ...overrides,
});

describe("approvalVerdict", () => {
  it("waits when neither the asker nor an approver is a reviewer", () => {
    expect(approvalVerdict(RULE, facts())).toEqual({ ok: false });
    expect(approvalVerdict(RULE, facts({ approvedBy: "eve" }))).toEqual({ ok: false });
  });

  it("lets a reviewer's own request through, unless self-review is prevented or a push asked", () => {
    expect(approvalVerdict(RULE, facts({ requesterIsReviewer: true }))).toEqual({ ok: true, by: "dave" });
    expect(
      approvalVerdict({ ...RULE, preventSelfReview: true }, facts({ requesterIsReviewer: true })),
    ).toEqual({ ok: false });
    expect(approvalVerdict(RULE, facts({ requesterIsReviewer: true, askerCounts: false }))).toEqual({
      ok: false,
    });
  });

  it("counts a reviewer's approval, but not the asker's own when self-review is prevented", () => {
    expect(approvalVerdict(RULE, facts({ approvedBy: "alice", approverIsReviewer: true }))).toEqual({
      ok: true,
      by: "alice",
    });
    const self = facts({ approvedBy: "dave", approverIsReviewer: true, requesterIsReviewer: true });
    expect(approvalVerdict({ ...RULE, preventSelfReview: true }, self)).toEqual({ ok: false });
    expect(approvalVerdict(RULE, self)).toEqual({ ok: true, by: "dave" });
  });
});

describe("approverVerdict", () => {
  it("refuses a non-reviewer, naming who may approve", () => {
    const verdict = approverVerdict(RULE, {
      approver: "eve",
      requestedBy: "dave",
      approverIsReviewer: false,
    });
    expect(verdict).toEqual({ ok: false, reason: "@eve is not a required reviewer (@alice, team release)" });
  });

  it("refuses self-approval only when the rule prevents self-review", () => {
    const request = { approver: "alice", requestedBy: "alice", approverIsReviewer: true };
    expect(approverVerdict(RULE, request)).toEqual({ ok: true });
    const barred = approverVerdict({ ...RULE, preventSelfReview: true }, request);
    expect(barred.ok).toBe(false);
    expect(!barred.ok && barred.reason).toContain("prevents self-review");
  });
});

describe("describeReviewers and rolloutNotBefore", () => {
  it("lists users and teams", () => {
    expect(describeReviewers({ users: [], teams: [], preventSelfReview: false })).toBe(
      "no reviewers are listed",
    );
    expect(describeReviewers({ users: ["a", "b"], teams: [], preventSelfReview: false })).toBe("@a, @b");
  });

  it("starts at once without a timer, keeps a recorded time, and otherwise adds the timer to now", () => {
    expect(rolloutNotBefore({ now: 1000, recorded: 5000, waitTimerMinutes: 0 })).toBe(1000);
    expect(rolloutNotBefore({ now: 1000, recorded: 5000, waitTimerMinutes: 3 })).toBe(5000);
    expect(rolloutNotBefore({ now: 1000, recorded: null, waitTimerMinutes: 3 })).toBe(181_000);
  });
});
