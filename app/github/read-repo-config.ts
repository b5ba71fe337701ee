import { CONFIG_PATH } from "../../core/config/config-schema.ts";
import { parseConfig, type ParseConfigResult } from "../../core/config/parse-config.ts";
import type { GitHub } from "./github-client.ts";
import { repoRef } from "./repo-ref.ts";

/**
 * Reads `.github/aether.yml` as it is at `sha` (the raw media type: the file's bytes, no base64 envelope) and
 * validates it. A repository without the file gets the defaults (one app at the root, production on the
 * default branch), as `version: 1` alone would.
 */
export async function readRepoConfig(
  github: GitHub,
  request: { repository: string; sha: string },
): Promise<ParseConfigResult> {
  let text: string;
  try {
    const response = await github.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repoRef(request.repository),
      path: CONFIG_PATH,
      ref: request.sha,
      mediaType: { format: "raw" },
    });
    text = typeof response.data === "string" ? response.data : JSON.stringify(response.data);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    text = "version: 1\n";
  }
  return parseConfig(text, CONFIG_PATH);
}

/** The HTTP status of an Octokit RequestError, if it is one. */
export function statusOf(error: unknown): number | undefined {
  if (error !== null && typeof error === "object" && "status" in error && typeof error.status === "number")
    return error.status;
  return undefined;
}
