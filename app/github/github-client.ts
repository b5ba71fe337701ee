import { ProbotOctokit } from "probot";
import { createTokenCache } from "./token-cache.ts";

/** The Octokit the app talks to GitHub with: Probot's (REST methods, pagination, retry, throttling). */
export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface GitHubClientOptions {
  appId: number;
  /** The app's private key (PEM), as PRIVATE_KEY holds it. */
  privateKey: string;
  /** `https://api.github.com` unless set (GitHub Enterprise, or the test server). */
  baseUrl?: string;
  /** Pacing and rate-limit handling; tests turn the pacing off and shorten the waits. */
  throttle?: { enabled?: boolean; retryAfterBaseValueMs?: number; maxRetries?: number };
  /** Base of plugin-retry's backoff for 5xx answers, in ms (GitHub: 1000). */
  retryBaseMs?: number;
  now?: () => number;
  /** Where rate-limit waits are reported (one short line, never a token). */
  log?: (line: string) => void;
}

/** Installation clients for the app, each authenticated with a token refreshed before it expires. */
export interface GitHubClients {
  /** A client acting as the installation (repositories it was installed on). */
  forInstallation(installationId: number): GitHub;
  /** A client acting as the app itself (app JWT), for `GET /repos/{owner}/{repo}/installation`. */
  asApp(): GitHub;
  /** The installation id of a repository, read through the app JWT. */
  installationOf(repository: string): Promise<number>;
}

/**
 * Creates the app's GitHub clients on Probot's Octokit. Unlike Probot's defaults, a secondary rate limit is
 * retried after GitHub's `retry-after` (up to `maxRetries` times) instead of only being logged, and a primary
 * rate limit waits for `x-ratelimit-reset`.
 * @example const gh = createGitHubClients({ appId, privateKey }).forInstallation(payload.installation.id)
 */
export function createGitHubClients(options: GitHubClientOptions): GitHubClients {
  const maxRetries = options.throttle?.maxRetries ?? 3;
  const log = options.log ?? (() => undefined);
  const cache = createTokenCache(options.now === undefined ? {} : { now: options.now });
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const retry = retryCount < maxRetries;
      log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s` : "giving up"}`,
      );
      return retry;
    };
  const common = {
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    throttle: {
      enabled: options.throttle?.enabled ?? true,
      retryAfterBaseValue: options.throttle?.retryAfterBaseValueMs ?? 1000,
      onSecondaryRateLimit: onLimit("secondary"),
      onRateLimit: onLimit("primary"),
    },
    retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000 },
  };
  const app = new ProbotOctokit({
    ...common,
    auth: { appId: options.appId, privateKey: options.privateKey, cache },
  });
  return {
    forInstallation: (installationId) =>
      new ProbotOctokit({
        ...common,
        auth: { appId: options.appId, privateKey: options.privateKey, installationId, cache },
      }),
    asApp: () => app,
    installationOf: async (repository) => {
      const [owner = "", repo = ""] = repository.split("/");
      const { data } = await app.rest.apps.getRepoInstallation({ owner, repo });
      return data.id;
    },
  };
}
