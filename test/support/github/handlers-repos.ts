import type { Repo } from "./github-state.ts";
import { errorReply, notFound, user, type Handler, type HandlerContext } from "./handler.ts";
import type { JsonObject } from "./openapi-spec.ts";

const docs = "https://docs.github.com/rest";

/** Repositories, the app, installations, collaborator permissions, pull requests and contents. */
export const repoHandlers: Record<string, Handler> = {
  "apps/get-authenticated": (c) => ({ status: 200, body: renderApp(c) }),
  "apps/get-repo-installation": (c) => {
    const repo = findRepo(c);
    return repo === undefined
      ? notFound(`${docs}/apps/apps#get-a-repository-installation-for-the-authenticated-app`)
      : { status: 200, body: renderInstallation(c, repo.installationId, repo.owner) };
  },
  "apps/create-installation-access-token": (c) => {
    const installationId = Number(c.params.installation_id);
    const known = [...c.state.repos.values()].some((repo) => repo.installationId === installationId);
    if (!known) return notFound(`${docs}/apps/apps#create-an-installation-access-token-for-an-app`);
    const { token, expiresAt } = c.mintToken(installationId);
    return {
      status: 201,
      body: {
        token,
        expires_at: expiresAt,
        permissions: c.body.permissions ?? {
          checks: "write",
          contents: "read",
          deployments: "write",
          issues: "write",
          pull_requests: "write",
          metadata: "read",
        },
        repository_selection: "all",
      },
    };
  },
  "repos/get": (c) => {
    const repo = findRepo(c);
    return repo === undefined
      ? notFound(`${docs}/repos/repos#get-a-repository`)
      : { status: 200, body: renderRepo(repo, c) };
  },
  "repos/get-collaborator-permission-level": (c) => {
    const repo = findRepo(c);
    if (repo === undefined) return notFound();
    const role = repo.permissions.get(c.params.username!);
    // GitHub reports `none` for users without access, and folds maintain/triage into write/read here.
    const permission =
      role === undefined ? "none" : role === "maintain" ? "write" : role === "triage" ? "read" : role;
    return {
      status: 200,
      body: {
        permission,
        role_name: role ?? "none",
        user: {
          ...user(c.params.username!, c.baseUrl),
          permissions: {
            admin: role === "admin",
            maintain: role === "admin" || role === "maintain",
            push: permission === "admin" || permission === "write",
            triage: role !== undefined && role !== "read",
            pull: role !== undefined,
          },
        },
      },
    };
  },
  "pulls/get": (c) => {
    const repo = findRepo(c);
    const pull = c.state.pulls.find(
      (p) => p.repo === fullName(c) && p.number === Number(c.params.pull_number),
    );
    if (repo === undefined || pull === undefined) return notFound(`${docs}/pulls/pulls#get-a-pull-request`);
    const headRepo = c.state.repos.get(pull.headRepo);
    const [headOwner = "", headName = ""] = pull.headRepo.split("/");
    return {
      status: 200,
      body: {
        id: pull.id,
        number: pull.number,
        state: pull.state,
        title: pull.title,
        user: user(pull.user, c.baseUrl),
        url: `${c.baseUrl}/repos/${fullName(c)}/pulls/${pull.number}`,
        html_url: `https://github.com/${fullName(c)}/pull/${pull.number}`,
        head: {
          ref: pull.headRef,
          sha: pull.headSha,
          label: `${headOwner}:${pull.headRef}`,
          user: user(headOwner, c.baseUrl),
          repo:
            headRepo === undefined
              ? { full_name: pull.headRepo, name: headName, owner: user(headOwner, c.baseUrl), fork: true }
              : { ...renderRepo(headRepo, c), fork: pull.headRepo !== pull.repo },
        },
        base: {
          ref: pull.baseRef,
          sha: repo.branches.get(pull.baseRef) ?? null,
          label: `${repo.owner}:${pull.baseRef}`,
          user: user(repo.owner, c.baseUrl),
          repo: renderRepo(repo, c),
        },
        draft: false,
        merged: false,
      },
    };
  },
  "repos/get-content": (c) => {
    const repo = findRepo(c);
    if (repo === undefined) return notFound();
    const path = c.params.path!.replace(/^\/+/, "");
    const sha = c.state.resolveRef(fullName(c), c.query.ref ?? repo.defaultBranch);
    if (sha === undefined)
      return errorReply(
        404,
        `No commit found for the ref ${c.query.ref ?? ""}`,
        `${docs}/repos/contents#get-repository-content`,
      );
    const content = repo.files.get(sha)?.get(path);
    if (content === undefined) return notFound(`${docs}/repos/contents#get-repository-content`);
    // `application/vnd.github.raw` (Octokit's `mediaType: { format: "raw" }`) asks for the bytes themselves.
    if (/\.raw\b/.test(c.accept)) return { status: 200, body: content };
    const url = `${c.baseUrl}/repos/${fullName(c)}/contents/${path}?ref=${c.query.ref ?? repo.defaultBranch}`;
    return {
      status: 200,
      body: {
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(content),
        name: path.split("/").pop(),
        path,
        content: Buffer.from(content)
          .toString("base64")
          .replace(/(.{60})/g, "$1\n"),
        sha: `blob-${sha.slice(0, 8)}-${path}`,
        url,
        git_url: null,
        html_url: null,
        download_url: null,
        _links: { self: url, git: null, html: null },
      },
    };
  },
};

export function fullName(c: HandlerContext): string {
  return `${c.params.owner ?? ""}/${c.params.repo ?? ""}`;
}

/** The repository named by the path, if the caller's installation covers it (GitHub says 404 otherwise). */
export function findRepo(c: HandlerContext): Repo | undefined {
  const repo = c.state.repos.get(fullName(c));
  if (repo === undefined) return undefined;
  return c.installationId === undefined || c.installationId === repo.installationId ? repo : undefined;
}

function renderRepo(repo: Repo, c: HandlerContext): JsonObject {
  const name = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: name,
    private: repo.private,
    owner: user(repo.owner, c.baseUrl),
    default_branch: repo.defaultBranch,
    fork: false,
    url: `${c.baseUrl}/repos/${name}`,
    html_url: `https://github.com/${name}`,
    visibility: repo.private ? "private" : "public",
  };
}

function renderApp(c: HandlerContext): JsonObject {
  return {
    id: 1,
    slug: c.state.appSlug,
    name: c.state.appSlug,
    owner: user("aether-dev", c.baseUrl),
    html_url: `https://github.com/apps/${c.state.appSlug}`,
    permissions: {},
    events: [],
  };
}

function renderInstallation(c: HandlerContext, id: number, owner: string): JsonObject {
  return {
    id,
    app_id: 1,
    app_slug: c.state.appSlug,
    account: user(owner, c.baseUrl),
    target_type: "Organization",
    repository_selection: "all",
    permissions: {},
    events: [],
    access_tokens_url: `${c.baseUrl}/app/installations/${id}/access_tokens`,
  };
}
