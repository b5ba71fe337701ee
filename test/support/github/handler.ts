import type { GitHubState } from "./github-state.ts";
import type { JsonObject } from "./openapi-spec.ts";

/** What a route handler sees: validated parameters and body, and the in-memory GitHub. */
export interface HandlerContext {
  state: GitHubState;
  params: Record<string, string>;
  query: Record<string, string>;
  body: JsonObject;
  /** The server's base URL, for `url` fields and Link headers. */
  baseUrl: string;
  /** The request path and query as received (pagination links keep its query). */
  rawUrl: string;
  installationId: number | undefined;
  /** The request's `accept` header (media types such as `application/vnd.github.raw`). */
  accept: string;
  mintToken: (installationId: number) => { token: string; expiresAt: string };
}

export interface Reply {
  status: number;
  /** JSON unless a string (sent as `text/plain`, as GitHub sends raw media types). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (context: HandlerContext) => Reply;

/** GitHub's error shape: `{ message, documentation_url, status }`. */
export function errorReply(
  status: number,
  message: string,
  documentationUrl = "https://docs.github.com/rest",
  extra: JsonObject = {},
): Reply {
  return { status, body: { message, documentation_url: documentationUrl, ...extra, status: String(status) } };
}

export function notFound(documentationUrl?: string): Reply {
  return errorReply(404, "Not Found", documentationUrl);
}

export function user(login: string, baseUrl: string): JsonObject {
  const isBot = login.endsWith("[bot]");
  return {
    login,
    id: hashId(login),
    node_id: `U_${hashId(login)}`,
    type: isBot ? "Bot" : "User",
    site_admin: false,
    url: `${baseUrl}/users/${encodeURIComponent(login)}`,
    // Bots' pages are their app's page (a login with `[bot]` is not a valid URL path).
    html_url: isBot
      ? `https://github.com/apps/${login.replace(/\[bot\]$/, "")}`
      : `https://github.com/${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${hashId(login)}`,
  };
}

/** Pages `items` as GitHub does (`per_page` default 30, max 100; `page` from 1) with a Link header. */
export function paginate<T>(
  items: T[],
  context: HandlerContext,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(context.query.per_page ?? 30), 1), 100);
  const pageNumber = Math.max(Number(context.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const link = (n: number, rel: string): string => {
    const url = new URL(context.rawUrl, context.baseUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber > 1) links.push(link(pageNumber - 1, "prev"), link(1, "first"));
  if (pageNumber < last) links.push(link(pageNumber + 1, "next"), link(last, "last"));
  return { page, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

function hashId(text: string): number {
  let hash = 7;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}
