import { AppHookLog } from "./handlers-app-hooks.ts";
import { EnvironmentBook } from "./handlers-environments.ts";

/** Repository roles as `GET .../collaborators/{username}/permission` reports them. */
export type RoleName = "admin" | "maintain" | "write" | "triage" | "read";

export interface Repo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  installationId: number;
  /** Branch name → head commit SHA. */
  branches: Map<string, string>;
  /** Commit SHA → (file path → content). */
  files: Map<string, Map<string, string>>;
  /** User login → role; absent users have no access (`none`). */
  permissions: Map<string, RoleName>;
}

export interface PullRequest {
  repo: string;
  number: number;
  id: number;
  state: "open" | "closed";
  title: string;
  user: string;
  headSha: string;
  headRef: string;
  /** `owner/name` of the head repository: another one for a pull request from a fork. */
  headRepo: string;
  baseRef: string;
}

export interface Comment {
  repo: string;
  issueNumber: number;
  id: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface Reaction {
  commentId: number;
  id: number;
  content: string;
  user: string;
}

export interface CheckRun {
  repo: string;
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  actions: unknown[];
  appSlug: string;
}

export interface CommitStatus {
  repo: string;
  id: number;
  sha: string;
  state: string;
  context: string;
  description: string | null;
  targetUrl: string | null;
}

export interface Deployment {
  repo: string;
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: unknown;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: string;
  createdAt: string;
}

export interface DeploymentStatus {
  deploymentId: number;
  id: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  environment: string;
  createdAt: string;
}

/**
 * The in-memory GitHub behind the test server. Tests seed it (repositories, permissions, pull
 * requests, files at a commit, other apps' check runs) and read back what the app wrote.
 */
export class GitHubState {
  readonly repos = new Map<string, Repo>();
  readonly pulls: PullRequest[] = [];
  readonly comments: Comment[] = [];
  readonly reactions: Reaction[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly statuses: CommitStatus[] = [];
  readonly deployments: Deployment[] = [];
  readonly deploymentStatuses: DeploymentStatus[] = [];
  /** GitHub environments' protection rules, team members, protected branches (`environments.set(repo, name, …)`). */
  readonly environments = new EnvironmentBook({ id: () => this.id(), timestamp: () => this.timestamp() });
  /** The App's webhook delivery log (`GET /app/hook/deliveries`); set `appHook.url` for redeliveries. */
  readonly appHook = new AppHookLog({ id: () => this.id(), timestamp: () => this.timestamp() });
  /** The login the app's writes are attributed to (`<slug>[bot]`). */
  botLogin = "aether-test[bot]";
  appSlug = "aether-test";
  private nextId = 1000;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  id(): number {
    return this.nextId++;
  }

  timestamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Adds a repository with its default branch at `headSha` (a made-up SHA unless given). */
  addRepo(options: {
    owner: string;
    name: string;
    defaultBranch?: string;
    headSha?: string;
    private?: boolean;
    installationId?: number;
  }): Repo {
    const defaultBranch = options.defaultBranch ?? "main";
    const repo: Repo = {
      id: this.id(),
      owner: options.owner,
      name: options.name,
      defaultBranch,
      private: options.private ?? false,
      installationId: options.installationId ?? 1,
      branches: new Map([[defaultBranch, options.headSha ?? fakeSha(this.nextId)]]),
      files: new Map(),
      permissions: new Map([[options.owner, "admin"]]),
    };
    this.repos.set(`${repo.owner}/${repo.name}`, repo);
    return repo;
  }

  repo(fullName: string): Repo {
    const repo = this.repos.get(fullName);
    if (repo === undefined)
      throw new Error(`no repository ${fullName} in the test GitHub: seed it with state.addRepo`);
    return repo;
  }

  setPermission(fullName: string, user: string, role: RoleName | "none"): void {
    const permissions = this.repo(fullName).permissions;
    if (role === "none") permissions.delete(user);
    else permissions.set(user, role);
  }

  /** Puts files at a commit (what `GET .../contents/{path}?ref=<sha>` then returns). */
  setFiles(fullName: string, sha: string, files: Record<string, string>): void {
    const repo = this.repo(fullName);
    const atSha = repo.files.get(sha) ?? new Map<string, string>();
    for (const [path, content] of Object.entries(files)) atSha.set(path, content);
    repo.files.set(sha, atSha);
  }

  addPullRequest(options: {
    repo: string;
    number: number;
    headSha: string;
    headRef?: string;
    headRepo?: string;
    baseRef?: string;
    user?: string;
    title?: string;
  }): PullRequest {
    const repo = this.repo(options.repo);
    const pull: PullRequest = {
      repo: options.repo,
      number: options.number,
      id: this.id(),
      state: "open",
      title: options.title ?? `Pull request ${options.number}`,
      user: options.user ?? repo.owner,
      headSha: options.headSha,
      headRef: options.headRef ?? `topic-${options.number}`,
      headRepo: options.headRepo ?? options.repo,
      baseRef: options.baseRef ?? repo.defaultBranch,
    };
    if (pull.headRepo === options.repo) repo.branches.set(pull.headRef, pull.headSha);
    this.pulls.push(pull);
    return pull;
  }

  /** Adds another app's check run (a CI build, say) at a commit. */
  addCheckRun(options: {
    repo: string;
    headSha: string;
    name: string;
    status?: string;
    conclusion?: string | null;
    appSlug?: string;
  }): CheckRun {
    const run: CheckRun = {
      repo: options.repo,
      id: this.id(),
      name: options.name,
      headSha: options.headSha,
      status: options.status ?? "completed",
      conclusion: options.conclusion === undefined ? "success" : options.conclusion,
      detailsUrl: null,
      externalId: null,
      startedAt: this.timestamp(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      actions: [],
      appSlug: options.appSlug ?? "github-actions",
    };
    this.checkRuns.push(run);
    return run;
  }

  /** Resolves a branch name or a full SHA to a commit SHA, or undefined. */
  resolveRef(fullName: string, ref: string): string | undefined {
    const repo = this.repo(fullName);
    const branch = repo.branches.get(ref.replace(/^refs\/heads\//, ""));
    if (branch !== undefined) return branch;
    return /^[0-9a-f]{40}$/.test(ref) ? ref : undefined;
  }
}

/** A deterministic 40-hex-digit SHA for seeds. */
export function fakeSha(seed: number | string): string {
  return String(seed)
    .padStart(40, "0")
    .slice(-40)
    .replace(/[^0-9a-f]/g, "a");
}
