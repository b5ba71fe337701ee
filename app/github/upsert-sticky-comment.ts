import type { GitHub } from "./github-client.ts";
import { repoRef } from "./repo-ref.ts";

/**
 * Writes the one comment of a pull request that carries `marker` (an HTML comment hidden in its body):
 * looks for it first and edits it in place, and creates it only when no comment has the marker. So a retry
 * after a POST whose answer was lost finds the comment that POST made instead of posting twice.
 * Only the app's own comments count (`botLogin`), so a person quoting the marker cannot hijack it.
 */
export async function upsertStickyComment(
  github: GitHub,
  request: { repository: string; issueNumber: number; marker: string; body: string; botLogin?: string },
): Promise<{ id: number; created: boolean }> {
  const repo = repoRef(request.repository);
  const comments = await github.paginate(github.rest.issues.listComments, {
    ...repo,
    issue_number: request.issueNumber,
    per_page: 100,
  });
  const mine = comments.find(
    (c) =>
      (c.body ?? "").includes(request.marker) &&
      (request.botLogin === undefined || c.user?.login.toLowerCase() === request.botLogin.toLowerCase()),
  );
  if (mine) {
    if (mine.body !== request.body)
      await github.rest.issues.updateComment({ ...repo, comment_id: mine.id, body: request.body });
    return { id: mine.id, created: false };
  }
  const created = await github.rest.issues.createComment({
    ...repo,
    issue_number: request.issueNumber,
    body: request.body,
    // Never re-POSTed blindly: a retry of the whole call looks for the marker first.
    request: { retries: 0 },
  });
  return { id: created.data.id, created: true };
}
