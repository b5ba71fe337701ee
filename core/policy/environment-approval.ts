/**
 * A GitHub environment's required reviewers rule, read from the API: the users and teams that may approve a
 * deploy there, and whether the person who asked for a deploy may approve it themselves.
 */
export interface RequiredReviewers {
  users: readonly string[];
  /** Team slugs of the repository's organization. */
  teams: readonly string[];
  preventSelfReview: boolean;
}

/** Who asked for a deploy and who approved it, with whether each is a reviewer (read from the API). */
export interface ApprovalFacts {
  /** The login recorded as having asked (for a push: the pusher, who never counts as an approval). */
  requestedBy: string;
  /** Whether the asking itself may count as an approval: true for commands and check run buttons. */
  askerCounts: boolean;
  requesterIsReviewer: boolean;
  approvedBy: string | null;
  approverIsReviewer: boolean;
}

export type ApprovalVerdict = { ok: true; by: string } | { ok: false };

/**
 * Whether a deploy to a protected environment may go on: a reviewer asked for it (unless the rule prevents
 * self-review), or a reviewer other than the asker (when self-review is prevented) approved it.
 */
export function approvalVerdict(rule: RequiredReviewers, facts: ApprovalFacts): ApprovalVerdict {
  if (facts.approvedBy !== null) {
    const self = facts.approvedBy === facts.requestedBy;
    if (facts.approverIsReviewer && !(self && rule.preventSelfReview))
      return { ok: true, by: facts.approvedBy };
  }
  if (facts.askerCounts && facts.requesterIsReviewer && !rule.preventSelfReview)
    return { ok: true, by: facts.requestedBy };
  return { ok: false };
}

export type ApproverVerdict = { ok: true } | { ok: false; reason: string };

/** Whether `approver` may approve a deploy `requestedBy` asked for: a reviewer, and not themselves if barred. */
export function approverVerdict(
  rule: RequiredReviewers,
  request: { approver: string; requestedBy: string; approverIsReviewer: boolean },
): ApproverVerdict {
  if (!request.approverIsReviewer)
    return {
      ok: false,
      reason: `@${request.approver} is not a required reviewer (${describeReviewers(rule)})`,
    };
  if (rule.preventSelfReview && request.approver === request.requestedBy)
    return {
      ok: false,
      reason: `@${request.approver} asked for this deploy and the environment prevents self-review: another reviewer must approve`,
    };
  return { ok: true };
}

/** `@alice, @bob, team release`: who may approve, for check runs and comments. */
export function describeReviewers(rule: RequiredReviewers): string {
  const names = [...rule.users.map((u) => `@${u}`), ...rule.teams.map((t) => `team ${t}`)];
  return names.length === 0 ? "no reviewers are listed" : names.join(", ");
}

/**
 * When a deploy held by a wait timer may start: the time recorded when the timer began, else `now` plus the
 * timer. No timer (0 minutes) means at once.
 */
export function rolloutNotBefore(request: {
  now: number;
  recorded: number | null;
  waitTimerMinutes: number;
}): number {
  if (request.waitTimerMinutes <= 0) return request.now;
  return request.recorded ?? request.now + request.waitTimerMinutes * 60_000;
}
