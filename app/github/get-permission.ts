import type { RepoPermission } from "../../core/policy/authorize-deploy.ts";
import type { GitHub } from "./github-client.ts";
import { statusOf } from "./read-repo-config.ts";
import { repoRef } from "./repo-ref.ts";

const ROLES: readonly RepoPermission[] = ["admin", "maintain", "write", "triage", "read", "none"];

/**
 * A user's permission on a repository, read from GitHub (`role_name`, which tells maintain and triage apart
 * where `permission` folds them into write and read). Never taken from a payload's author_association.
 */
export async function getPermission(
  github: GitHub,
  request: { repository: string; user: string },
): Promise<RepoPermission> {
  try {
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({
      ...repoRef(request.repository),
      username: request.user,
    });
    const role = ROLES.find((r) => r === data.role_name) ?? ROLES.find((r) => r === data.permission);
    return role ?? "none";
  } catch (error) {
    // GitHub answers 404 for a user who is not a collaborator at all.
    if (statusOf(error) === 404) return "none";
    throw error;
  }
}
