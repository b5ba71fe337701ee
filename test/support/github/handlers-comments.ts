import type { Comment, Reaction } from "./github-state.ts";
import { notFound, paginate, user, type Handler, type HandlerContext } from "./handler.ts";
import type { JsonObject } from "./openapi-spec.ts";
import { findRepo, fullName } from "./handlers-repos.ts";

const docs = "https://docs.github.com/rest/issues/comments";

/** Issue (and pull request) comments and their reactions. */
export const commentHandlers: Record<string, Handler> = {
  "issues/create-comment": (c) => {
    if (findRepo(c) === undefined || !issueExists(c)) return notFound(`${docs}#create-an-issue-comment`);
    const now = c.state.timestamp();
    const comment: Comment = {
      repo: fullName(c),
      issueNumber: Number(c.params.issue_number),
      id: c.state.id(),
      body: String(c.body.body),
      user: c.state.botLogin,
      createdAt: now,
      updatedAt: now,
    };
    c.state.comments.push(comment);
    const body = renderComment(comment, c);
    return { status: 201, body, headers: { location: String(body.url) } };
  },
  "issues/list-comments": (c) => {
    if (findRepo(c) === undefined) return notFound(`${docs}#list-issue-comments`);
    const since = c.query.since;
    const all = c.state.comments.filter(
      (x) =>
        x.repo === fullName(c) &&
        x.issueNumber === Number(c.params.issue_number) &&
        (since === undefined || x.updatedAt >= since),
    );
    const { page, headers } = paginate(all, c);
    return { status: 200, body: page.map((x) => renderComment(x, c)), headers };
  },
  "issues/get-comment": (c) => {
    const comment = findComment(c);
    return comment === undefined
      ? notFound(`${docs}#get-an-issue-comment`)
      : { status: 200, body: renderComment(comment, c) };
  },
  "issues/update-comment": (c) => {
    const comment = findComment(c);
    if (comment === undefined) return notFound(`${docs}#update-an-issue-comment`);
    comment.body = String(c.body.body);
    comment.updatedAt = c.state.timestamp();
    return { status: 200, body: renderComment(comment, c) };
  },
  "issues/delete-comment": (c) => {
    const comment = findComment(c);
    if (comment === undefined) return notFound(`${docs}#delete-an-issue-comment`);
    c.state.comments.splice(c.state.comments.indexOf(comment), 1);
    return { status: 204 };
  },
  "reactions/create-for-issue-comment": (c) => {
    const comment = findComment(c);
    if (comment === undefined)
      return notFound(
        "https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue-comment",
      );
    const content = String(c.body.content);
    const existing = c.state.reactions.find(
      (r) => r.commentId === comment.id && r.content === content && r.user === c.state.botLogin,
    );
    // GitHub answers 200 with the existing reaction when the same user reacts the same way twice.
    if (existing !== undefined) return { status: 200, body: renderReaction(existing, c) };
    const reaction: Reaction = { commentId: comment.id, id: c.state.id(), content, user: c.state.botLogin };
    c.state.reactions.push(reaction);
    return { status: 201, body: renderReaction(reaction, c) };
  },
  "reactions/list-for-issue-comment": (c) => {
    const comment = findComment(c);
    if (comment === undefined) return notFound();
    const all = c.state.reactions.filter(
      (r) => r.commentId === comment.id && (c.query.content === undefined || r.content === c.query.content),
    );
    const { page, headers } = paginate(all, c);
    return { status: 200, body: page.map((r) => renderReaction(r, c)), headers };
  },
};

function issueExists(c: HandlerContext): boolean {
  const number = Number(c.params.issue_number);
  // Issues are not modelled: any number is an issue unless it is a seeded pull request's (which exists).
  return Number.isInteger(number) && number > 0;
}

function findComment(c: HandlerContext): Comment | undefined {
  if (findRepo(c) === undefined) return undefined;
  return c.state.comments.find((x) => x.repo === fullName(c) && x.id === Number(c.params.comment_id));
}

function renderComment(comment: Comment, c: HandlerContext): JsonObject {
  const base = `${c.baseUrl}/repos/${comment.repo}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${base}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${comment.repo}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${base}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: user(comment.user, c.baseUrl),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.endsWith("[bot]") ? "NONE" : "OWNER",
  };
}

function renderReaction(reaction: Reaction, c: HandlerContext): JsonObject {
  return {
    id: reaction.id,
    node_id: `REA_${reaction.id}`,
    content: reaction.content,
    user: user(reaction.user, c.baseUrl),
    created_at: c.state.timestamp(),
  };
}
