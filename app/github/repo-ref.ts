/** A repository as Octokit's methods take it. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** `owner/name` → `{ owner, repo }`. */
export function repoRef(fullName: string): RepoRef {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
}
