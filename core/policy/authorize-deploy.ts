/** A repository permission as GitHub's collaborator-permission API reports it. */
export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

/** One check run on the commit, as the checks API reports it. */
export interface CheckRunState {
  name: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion?: string | null;
  completedAt?: string | null;
}

export interface EnvironmentLock {
  env: string;
  owner: string;
  reason?: string;
  /** Epoch milliseconds; absent: until unlocked. */
  expiresAt?: number;
}

export interface DeployAuthorizationRequest {
  /** Who asked (comment author, pusher). */
  actor: string;
  /** The actor's permission, read from the API — never the payload's author_association. */
  permission: RepoPermission;
  /** `@org/team` slugs the actor belongs to, for team entries in `deployers`. */
  teams: readonly string[];
  env: string;
  deployers: readonly string[];
  restrictToDeployers: boolean;
  requiredChecks: readonly string[];
  /** The commit pinned when the request was read. */
  sha: string;
  checks: readonly CheckRunState[];
  lock?: EnvironmentLock;
  /** The pull request's head is in a fork. */
  fromFork: boolean;
  /** The repository opted in to deploying forks (previews only). */
  forksAllowed: boolean;
  now: number;
}

export type DeployRefusal = "permission" | "checks" | "locked" | "fork";

export type DeployAuthorization = { ok: true } | { ok: false; refusal: DeployRefusal; message: string };

const WRITE: readonly RepoPermission[] = ["admin", "maintain", "write"];
/** Conclusions GitHub's branch protection counts as passing. */
const PASSING = new Set(["success", "neutral", "skipped"]);

/**
 * Decides whether a deploy may go ahead, and if not, says why and what would make it work, in the words the
 * PR reply uses. Checked in order: fork, permission, lock, required checks.
 * @example authorizeDeploy({ actor: "bob", permission: "read", … }) // { ok: false, refusal: "permission", message: "@bob needs write access to deploy to **production** (has: read)." }
 */
export function authorizeDeploy(request: DeployAuthorizationRequest): DeployAuthorization {
  const { actor, env, sha } = request;
  const short = sha.slice(0, 7);
  if (request.fromFork && !request.forksAllowed) {
    return {
      ok: false,
      refusal: "fork",
      message: `This pull request comes from a fork: Aether does not deploy forks unless the repository allows it (\`previews.forks: true\`).`,
    };
  }
  const listed = request.deployers.some(
    (entry) =>
      entry.toLowerCase() === actor.toLowerCase() ||
      request.teams.some((t) => t.toLowerCase() === entry.toLowerCase()),
  );
  const canWrite = WRITE.includes(request.permission);
  if (request.restrictToDeployers ? !listed : !(canWrite || listed)) {
    const need = request.restrictToDeployers
      ? `to be one of the deployers of **${env}** (${request.deployers.join(", ") || "none configured"})`
      : `write access to deploy to **${env}**`;
    return {
      ok: false,
      refusal: "permission",
      message: `@${actor} needs ${need} (has: ${request.permission}).`,
    };
  }
  const lock = request.lock;
  if (
    lock &&
    lock.owner.toLowerCase() !== actor.toLowerCase() &&
    (lock.expiresAt === undefined || lock.expiresAt > request.now)
  ) {
    const reason = lock.reason ? `: '${lock.reason}'` : "";
    const until =
      lock.expiresAt === undefined
        ? ""
        : ` (until ${new Date(lock.expiresAt).toISOString().slice(11, 16)} UTC)`;
    return {
      ok: false,
      refusal: "locked",
      message: `**${env}** is locked by @${lock.owner}${reason}${until}. \`/unlock ${env}\` to release it.`,
    };
  }
  for (const name of request.requiredChecks) {
    const runs = request.checks.filter((c) => c.name === name);
    // The newest run of a check is the one that counts (a re-run replaces a failure).
    const latest = runs.sort((a, b) => (b.completedAt ?? "9").localeCompare(a.completedAt ?? "9"))[0];
    if (!latest) {
      return {
        ok: false,
        refusal: "checks",
        message: `Required check \`${name}\` has not run on \`${short}\`.`,
      };
    }
    if (latest.status !== "completed") {
      return {
        ok: false,
        refusal: "checks",
        message: `Required check \`${name}\` has not passed on \`${short}\` yet (${latest.status}).`,
      };
    }
    if (!PASSING.has(latest.conclusion ?? "")) {
      return {
        ok: false,
        refusal: "checks",
        message: `Required check \`${name}\` did not pass on \`${short}\` (${latest.conclusion ?? "no conclusion"}).`,
      };
    }
  }
  return { ok: true };
}
