/** The cache interface `@octokit/auth-app` (behind Probot's Octokit) keeps installation tokens in. */
export interface TokenCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** Refresh this long before GitHub's expiry, so a slow request never carries a token that dies mid-flight. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * An installation-token cache that forgets a token `marginMs` before its `expires_at`, so the next request
 * mints a fresh one well before GitHub would refuse the old one (auth-app's own cache keeps tokens 59 of
 * their 60 minutes). Values are auth-app's `token|createdAt|expiresAt|…` strings.
 */
export function createTokenCache(options: { now?: () => number; marginMs?: number } = {}): TokenCache {
  const now = options.now ?? Date.now;
  const margin = options.marginMs ?? TOKEN_REFRESH_MARGIN_MS;
  const entries = new Map<string, { value: string; freshUntil: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (now() >= entry.freshUntil) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value) {
      const expiresAt = Date.parse(value.split("|")[2] ?? "");
      // An unreadable expiry is treated as GitHub's one hour from now.
      const expiry = Number.isNaN(expiresAt) ? now() + 60 * 60 * 1000 : expiresAt;
      entries.set(key, { value, freshUntil: expiry - margin });
    },
  };
}
