// A deploy held by a GitHub environment's protection rules, as its check run shows it before it starts.

/** The button on a deploy waiting for a GitHub environment's required reviewers. */
export const APPROVE_ACTION = {
  label: "Approve",
  description: "Approve this deploy (reviewers only)",
  identifier: "approve",
} as const;

/** A deploy held by an environment's protection rules, before it starts: a title, a summary, its buttons. */
export interface HeldCheckRunOutput {
  output: { title: string; summary: string };
  actions: [typeof APPROVE_ACTION] | [];
}

/** The check run of a deploy waiting for a required reviewer: who may approve, and the Approve button. */
export function renderApprovalWait(request: {
  env: string;
  sha: string;
  reviewers: string;
  requestedBy: string;
  preventSelfReview: boolean;
}): HeldCheckRunOutput {
  return {
    output: {
      title: `Waiting for approval by ${request.reviewers}`,
      summary: [
        `Deploying \`${request.sha.slice(0, 7)}\` to **${request.env}** needs the approval of a required reviewer of ` +
          `the GitHub environment **${request.env}**: ${request.reviewers}.`,
        "",
        `A reviewer clicks **Approve** above; the deploy then starts (after the environment's wait timer, if any).` +
          (request.preventSelfReview
            ? ` @${request.requestedBy} asked for it and cannot approve it (self-review is prevented).`
            : ""),
      ].join("\n"),
    },
    actions: [APPROVE_ACTION],
  };
}

/** The check run of an approved deploy held by the environment's wait timer: when it starts. */
export function renderTimerWait(request: {
  env: string;
  sha: string;
  startsAt: Date;
  waitTimerMinutes: number;
  approvedBy?: string;
}): HeldCheckRunOutput {
  const at = request.startsAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    output: {
      title: `Starts at ${at} (wait timer of ${request.env})`,
      summary:
        (request.approvedBy ? `Approved by @${request.approvedBy}. ` : "") +
        `The GitHub environment **${request.env}** has a wait timer of ${request.waitTimerMinutes} min: ` +
        `\`${request.sha.slice(0, 7)}\` rolls out at ${at}, not before.`,
    },
    actions: [],
  };
}
