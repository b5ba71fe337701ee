import type { GitHubTestServer } from "./start-github-server.ts";

/** Throws, listing each one, if any request the server received broke GitHub's OpenAPI description. */
export function assertAllRequestsValid(server: Pick<GitHubTestServer, "requests">): void {
  const invalid = server.requests.filter((request) => request.problems.length > 0);
  if (invalid.length === 0) return;
  const lines = invalid.map(
    (request) =>
      `- ${request.method} ${request.url}${request.route === undefined ? "" : ` (${request.route})`}: ${request.problems.join("; ")}`,
  );
  throw new Error(
    `${invalid.length} request(s) to the GitHub test server do not match GitHub's OpenAPI description:\n${lines.join("\n")}`,
  );
}

/**
 * Throws if any JSON answer the server built strays from the types GitHub documents for it (fields
 * present but of the wrong type, enum or nullability): a bug in the test server, checked by its own tests.
 */
export function assertResponsesLikeGitHub(server: Pick<GitHubTestServer, "requests">): void {
  const wrong = server.requests.filter((request) => request.responseProblems.length > 0);
  if (wrong.length === 0) return;
  const lines = wrong.map((r) => `- ${r.method} ${r.url} → ${r.status}: ${r.responseProblems.join("; ")}`);
  throw new Error(
    `${wrong.length} response(s) of the GitHub test server do not match GitHub's OpenAPI description:\n${lines.join("\n")}`,
  );
}
