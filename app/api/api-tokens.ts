import { createHash, timingSafeEqual } from "node:crypto";

/** One API token and the repositories it may deploy: `owner/name`, `owner/*`, or `*`. */
export interface ApiToken {
  scope: string;
  /** SHA-256 of the token: the token itself is not kept in memory longer than parsing takes. */
  hash: Buffer;
}

export class ApiTokensError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiTokensError";
  }
}

const SCOPE = /^(\*|[A-Za-z0-9_.-]+\/(\*|[A-Za-z0-9_.-]+))$/;

/**
 * Reads AETHER_API_TOKENS: entries `SCOPE=TOKEN` separated by commas or newlines, such as
 * `acme/shop=tok_1,acme/*=tok_2`. Tokens must be at least 20 characters. A malformed entry is an error naming
 * its position, never its token.
 */
export function parseApiTokens(text: string | undefined): ApiToken[] {
  if (text === undefined || text.trim() === "") return [];
  return text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry, index) => {
      const at = entry.indexOf("=");
      const scope = entry.slice(0, at).trim();
      const token = entry.slice(at + 1).trim();
      if (at === -1 || !SCOPE.test(scope))
        throw new ApiTokensError(
          `AETHER_API_TOKENS entry ${index + 1}: expected SCOPE=TOKEN with SCOPE owner/name, owner/* or *`,
        );
      if (token.length < 20)
        throw new ApiTokensError(
          `AETHER_API_TOKENS entry ${index + 1} (${scope}): the token is shorter than 20 characters`,
        );
      return { scope, hash: sha256(token) };
    });
}

/**
 * Whether `authorization` (`Bearer TOKEN`) carries a token whose scope covers `repository`. Every token is
 * compared, each in constant time over equal-length hashes, so timing tells nothing about any of them.
 */
export function tokenAllows(
  tokens: readonly ApiToken[],
  authorization: string | undefined,
  repository: string,
): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return false;
  const given = sha256(match[1]);
  let allowed = false;
  for (const token of tokens) {
    const same = timingSafeEqual(given, token.hash);
    if (same && covers(token.scope, repository)) allowed = true;
  }
  return allowed;
}

/** Whether `authorization` carries any configured token at all (compared as `tokenAllows` does). */
export function isKnownToken(tokens: readonly ApiToken[], authorization: string | undefined): boolean {
  return tokenAllows(tokens, authorization, "");
}

function covers(scope: string, repository: string): boolean {
  if (scope === "*" || repository === "") return true;
  const [owner, name] = scope.split("/");
  const [rOwner, rName] = repository.split("/");
  return (
    owner?.toLowerCase() === rOwner?.toLowerCase() &&
    (name === "*" || name?.toLowerCase() === rName?.toLowerCase())
  );
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
