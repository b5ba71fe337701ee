/** Real webhook payloads from @octokit/webhooks-examples, pointed at the test repository. */
import { webhookExample } from "../support/github/index.ts";
import { INSTALLATION, REPO } from "./app-constants.ts";

const repository = {
  full_name: REPO,
  name: "shop",
  owner: { login: "acme" },
  default_branch: "main",
};

export function pushPayload(sha: string, branch = "main") {
  return webhookExample("push", undefined, {
    ref: `refs/heads/${branch}`,
    after: sha,
    deleted: false,
    repository,
    installation: { id: INSTALLATION },
    pusher: { name: "octocat" },
  });
}

export function pullRequestPayload(
  action: string,
  number: number,
  sha: string,
  options: { fork?: boolean } = {},
) {
  return webhookExample("pull_request", action, {
    number,
    pull_request: {
      number,
      head: { sha, ref: `topic-${number}`, repo: { full_name: options.fork ? "stranger/shop" : REPO } },
    },
    repository,
    installation: { id: INSTALLATION },
    sender: { login: "octocat", type: "User" },
  });
}

export function commentPayload(body: string, options: { user: string; pr: number; commentId: number }) {
  return webhookExample("issue_comment", "created", {
    issue: {
      number: options.pr,
      pull_request: { url: `https://api.github.com/repos/${REPO}/pulls/${options.pr}` },
    },
    comment: {
      id: options.commentId,
      body,
      user: { login: options.user, type: "User" },
      performed_via_github_app: null,
    },
    repository,
    installation: { id: INSTALLATION },
    sender: { login: options.user, type: "User" },
  });
}

export function workflowRunCompleted(sha: string) {
  return webhookExample("workflow_run", "completed", {
    workflow_run: { head_sha: sha },
    repository,
    installation: { id: INSTALLATION },
  });
}

export function checkRunAction(options: {
  externalId: string;
  sha: string;
  identifier?: string;
  user: string;
}) {
  const action = options.identifier === undefined ? "rerequested" : "requested_action";
  return webhookExample("check_run", action, {
    check_run: { external_id: options.externalId, head_sha: options.sha },
    ...(options.identifier === undefined ? {} : { requested_action: { identifier: options.identifier } }),
    repository,
    installation: { id: INSTALLATION },
    sender: { login: options.user, type: "User" },
  });
}

export function checkRunCompleted(sha: string, name: string) {
  return webhookExample("check_run", "completed", {
    check_run: { head_sha: sha, name, external_id: "" },
    repository,
    installation: { id: INSTALLATION },
    sender: { login: "github-actions", type: "User" },
  });
}
