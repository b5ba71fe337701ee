import type { CheckRun, CommitStatus } from "./github-state.ts";
import { errorReply, notFound, paginate, type Handler, type HandlerContext } from "./handler.ts";
import { isObject, type JsonObject } from "./openapi-spec.ts";
import { findRepo, fullName } from "./handlers-repos.ts";

const docs = "https://docs.github.com/rest/checks/runs";

/** Check runs and commit statuses. */
export const checkHandlers: Record<string, Handler> = {
  "checks/create": (c) => {
    if (findRepo(c) === undefined) return notFound(`${docs}#create-a-check-run`);
    const run: CheckRun = {
      repo: fullName(c),
      id: c.state.id(),
      name: String(c.body.name),
      headSha: String(c.body.head_sha),
      status: "queued",
      conclusion: null,
      detailsUrl: null,
      externalId: null,
      startedAt: c.state.timestamp(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      actions: [],
      appSlug: c.state.appSlug,
    };
    const problem = applyCheckRunChanges(run, c);
    if (problem !== undefined) return errorReply(422, problem, `${docs}#create-a-check-run`);
    c.state.checkRuns.push(run);
    return { status: 201, body: renderCheckRun(run, c) };
  },
  "checks/update": (c) => {
    const run = findCheckRun(c);
    if (run === undefined) return notFound(`${docs}#update-a-check-run`);
    const draft: CheckRun = { ...run, output: { ...run.output } };
    const problem = applyCheckRunChanges(draft, c);
    if (problem !== undefined) return errorReply(422, problem, `${docs}#update-a-check-run`);
    Object.assign(run, draft);
    return { status: 200, body: renderCheckRun(run, c) };
  },
  "checks/get": (c) => {
    const run = findCheckRun(c);
    return run === undefined
      ? notFound(`${docs}#get-a-check-run`)
      : { status: 200, body: renderCheckRun(run, c) };
  },
  "checks/list-for-ref": (c) => {
    if (findRepo(c) === undefined) return notFound(`${docs}#list-check-runs-for-a-git-reference`);
    const sha = c.state.resolveRef(fullName(c), c.params.ref!);
    if (sha === undefined)
      return errorReply(
        422,
        `No commit found for SHA: ${c.params.ref!}`,
        `${docs}#list-check-runs-for-a-git-reference`,
      );
    let runs = c.state.checkRuns.filter(
      (r) =>
        r.repo === fullName(c) &&
        r.headSha === sha &&
        (c.query.check_name === undefined || r.name === c.query.check_name) &&
        (c.query.status === undefined || r.status === c.query.status) &&
        (c.query.app_id === undefined || r.appSlug === c.state.appSlug),
    );
    // `filter=latest` (the default) keeps the most recent run of each name.
    if (c.query.filter !== "all")
      runs = runs.filter((r) => runs.findLast((other) => other.name === r.name) === r);
    const { page, headers } = paginate([...runs].reverse(), c);
    return {
      status: 200,
      body: { total_count: runs.length, check_runs: page.map((r) => renderCheckRun(r, c)) },
      headers,
    };
  },
  "repos/create-commit-status": (c) => {
    if (findRepo(c) === undefined) return notFound();
    const status: CommitStatus = {
      repo: fullName(c),
      id: c.state.id(),
      sha: c.params.sha!,
      state: String(c.body.state),
      context: typeof c.body.context === "string" ? c.body.context : "default",
      description: typeof c.body.description === "string" ? c.body.description : null,
      targetUrl: typeof c.body.target_url === "string" ? c.body.target_url : null,
    };
    c.state.statuses.push(status);
    return { status: 201, body: renderStatus(status, c) };
  },
  "repos/get-combined-status-for-ref": (c) => {
    if (findRepo(c) === undefined) return notFound();
    const sha = c.state.resolveRef(fullName(c), c.params.ref!);
    const all = c.state.statuses.filter((s) => s.repo === fullName(c) && s.sha === sha);
    const latest = all.filter((s) => all.findLast((other) => other.context === s.context) === s);
    const state = latest.some((s) => s.state === "failure" || s.state === "error")
      ? "failure"
      : latest.every((s) => s.state === "success") && latest.length > 0
        ? "success"
        : "pending";
    return {
      status: 200,
      body: { state, sha, total_count: latest.length, statuses: latest.map((s) => renderStatus(s, c)) },
    };
  },
};

/** Applies a create/update body; returns GitHub's 422 message when the combination is invalid. */
function applyCheckRunChanges(run: CheckRun, c: HandlerContext): string | undefined {
  const b = c.body;
  if (typeof b.name === "string") run.name = b.name;
  if (typeof b.details_url === "string") run.detailsUrl = b.details_url;
  if (typeof b.external_id === "string") run.externalId = b.external_id;
  if (typeof b.started_at === "string") run.startedAt = b.started_at;
  if (typeof b.status === "string") run.status = b.status;
  if (typeof b.conclusion === "string") {
    run.conclusion = b.conclusion;
    // GitHub completes a run given a conclusion.
    run.status = "completed";
  }
  if (typeof b.completed_at === "string") run.completedAt = b.completed_at;
  if (run.status === "completed" && run.conclusion === null)
    return "Invalid request.\n\nNo conclusion given for a completed check run.";
  if (run.status === "completed" && run.completedAt === null) run.completedAt = c.state.timestamp();
  if (isObject(b.output)) {
    for (const key of ["title", "summary", "text"] as const) {
      const value = b.output[key];
      if (typeof value === "string") run.output[key] = value;
    }
  }
  if (Array.isArray(b.actions)) run.actions = b.actions;
  return undefined;
}

function findCheckRun(c: HandlerContext): CheckRun | undefined {
  if (findRepo(c) === undefined) return undefined;
  return c.state.checkRuns.find((r) => r.repo === fullName(c) && r.id === Number(c.params.check_run_id));
}

function renderCheckRun(run: CheckRun, c: HandlerContext): JsonObject {
  const url = `${c.baseUrl}/repos/${run.repo}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: run.headSha,
    name: run.name,
    status: run.status,
    conclusion: run.conclusion,
    details_url: run.detailsUrl,
    external_id: run.externalId,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    url,
    html_url: `https://github.com/${run.repo}/runs/${run.id}`,
    output: { ...run.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    actions: run.actions,
    app: { id: 1, slug: run.appSlug, name: run.appSlug },
    check_suite: { id: run.id + 1 },
    pull_requests: [],
  };
}

function renderStatus(status: CommitStatus, c: HandlerContext): JsonObject {
  return {
    id: status.id,
    node_id: `SC_${status.id}`,
    state: status.state,
    context: status.context,
    description: status.description,
    target_url: status.targetUrl,
    url: `${c.baseUrl}/repos/${status.repo}/statuses/${status.sha}`,
    created_at: c.state.timestamp(),
    updated_at: c.state.timestamp(),
  };
}
