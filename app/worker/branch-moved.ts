import type { GitHub } from "../github/github-client.ts";
import { statusOf } from "../github/read-repo-config.ts";
import { repoRef } from "../github/repo-ref.ts";
import type { DeployRequest } from "./deploy-records.ts";

/**
 * Why a push's deploy must not run: its branch is no longer at the pushed commit (a later push, whose own
 * request deploys the newer commit, or a late redelivery of an old push), or the branch is gone. Production
 * follows its branch's head, so an older commit never goes live after a newer one; undefined when the branch
 * is still at the commit. Read from the API right before rollout, never from the payload.
 */
export async function branchMovedFrom(
  github: GitHub,
  request: Pick<DeployRequest, "repository" | "sha" | "ref">,
): Promise<string | undefined> {
  if (request.ref === null) return undefined;
  const short = request.sha.slice(0, 7);
  try {
    const { data } = await github.rest.repos.getBranch({
      ...repoRef(request.repository),
      branch: request.ref,
    });
    if (data.commit.sha === request.sha) return undefined;
    return (
      `\`${request.ref}\` moved from \`${short}\` to \`${data.commit.sha.slice(0, 7)}\` before this push was deployed; ` +
      `the newer commit's own push deploys it, so \`${short}\` was not deployed.`
    );
  } catch (error) {
    if (statusOf(error) === 404)
      return `\`${request.ref}\` was deleted before this push was deployed, so \`${short}\` was not deployed.`;
    throw error;
  }
}
