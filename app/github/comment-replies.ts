import type { GitHub } from "./github-client.ts";
import { repoRef } from "./repo-ref.ts";

export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** Reacts to a command comment (👀 on receipt, 🚀 when deployed, 👎 when refused). Idempotent on GitHub. */
export async function reactToComment(
  github: GitHub,
  request: { repository: string; commentId: number; content: Reaction },
): Promise<void> {
  await github.rest.reactions.createForIssueComment({
    ...repoRef(request.repository),
    comment_id: request.commentId,
    content: request.content,
  });
}

/**
 * Answers a command in the pull request, carrying a hidden marker of the command comment and the answer's
 * kind, so a retried job finds its earlier answer instead of answering twice.
 */
export async function replyToCommand(
  github: GitHub,
  request: { repository: string; issueNumber: number; commentId: number; kind: string; body: string },
): Promise<void> {
  const marker = `<!-- aether:reply to=${request.commentId} kind=${request.kind} -->`;
  const repo = repoRef(request.repository);
  const comments = await github.paginate(github.rest.issues.listComments, {
    ...repo,
    issue_number: request.issueNumber,
    per_page: 100,
  });
  if (comments.some((c) => (c.body ?? "").includes(marker))) return;
  await github.rest.issues.createComment({
    ...repo,
    issue_number: request.issueNumber,
    body: `${marker}\n${request.body}`,
    request: { retries: 0 },
  });
}
