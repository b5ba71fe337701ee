import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDigest } from "../../core/artifact/digest.ts";
import { BlobNotFoundError } from "../../core/store/store.ts";
import { previewEnv } from "../events/on-pull-request.ts";
import { requestDeploys } from "../events/request-deploys.ts";
import { statusOf } from "../github/read-repo-config.ts";
import { readBody } from "../intake/read-body.ts";
import type { DeployRequest } from "../worker/deploy-records.ts";
import type { AppDeps } from "../worker/worker-deps.ts";
import { isKnownToken, tokenAllows, type ApiToken } from "./api-tokens.ts";
import { looksLikeJwt, type OidcVerdict } from "./github-oidc.ts";

/** The state the API reports: the deploy request's, folded into four. */
export type ApiDeploymentState = "queued" | "in_progress" | "success" | "failure";

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const SHA = /^[0-9a-f]{40}$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The deploy API the `deploy` action calls:
 * - `POST /api/v1/deployments` `{repository, sha, digest, environment, app?}` with `Authorization: Bearer
 *   TOKEN` (a token of AETHER_API_TOKENS whose scope covers the repository) → 202 `{id, statusUrl}`. An
 *   `Idempotency-Key` header makes a retried call return the first call's request.
 * - `GET /api/v1/deployments/:id` (same token) → `{state, url?, message?}`.
 * With `oidc`, a GitHub Actions job's OIDC token may stand in for the API token: it covers its own
 * repository only and, for any environment but a preview, only when the job ran in that GitHub environment
 * (so the environment's protection rules, reviewers and branch policies, were met before the token existed).
 * Returns false when the path is not the API's, so the server can route elsewhere.
 */
export function createDeploymentsApi(options: {
  deps: AppDeps;
  tokens: readonly ApiToken[];
  publicUrl: () => string;
  oidc?: (token: string) => Promise<OidcVerdict>;
}) {
  const { deps } = options;
  /** Who calls: a scoped API token, or a verified job token; undefined for anything else. */
  const caller = async (
    authorization: string | undefined,
  ): Promise<{ covers(repository: string, environment?: string): boolean } | undefined> => {
    if (isKnownToken(options.tokens, authorization))
      return { covers: (repository) => tokenAllows(options.tokens, authorization, repository) };
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (bearer === undefined || options.oidc === undefined || !looksLikeJwt(bearer)) return undefined;
    const verdict = await options.oidc(bearer);
    if (!verdict.ok) {
      deps.log(`deploy API: OIDC token refused: ${verdict.reason}`);
      return undefined;
    }
    const { identity } = verdict;
    return {
      covers: (repository, environment) =>
        repository.toLowerCase() === identity.repository.toLowerCase() &&
        (environment === undefined || /^pr-\d+$/.test(environment) || identity.environment === environment),
    };
  };
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const url = new URL(request.url ?? "/", "http://app.invalid");
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      return true;
    };
    if (url.pathname === "/api/v1/deployments") {
      if (request.method !== "POST") return reply(405, { message: "POST a deployment here" });
      const read = await readBody(request, 64 * 1024);
      if (!read.ok) return reply(413, { message: "the body is larger than 64 kB" });
      let body: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(read.body.toString("utf8"));
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("not an object");
        body = parsed as Record<string, unknown>;
      } catch {
        return reply(400, { message: "the body is not a JSON object" });
      }
      const repository = typeof body["repository"] === "string" ? body["repository"] : "";
      const environment = typeof body["environment"] === "string" ? body["environment"] : "";
      // Authenticate before saying anything about the request's content.
      const who = await caller(header(request, "authorization"));
      if (!who?.covers(repository, environment))
        return reply(401, {
          message:
            "a Bearer token from AETHER_API_TOKENS whose scope covers this repository is required, or the " +
            "job's OIDC token from this repository (run in this GitHub environment, except for previews)",
        });
      const problems = validate(body);
      if (problems.length > 0) return reply(422, { message: `invalid deployment: ${problems.join("; ")}` });
      const sha = String(body["sha"]);
      const digest = String(body["digest"]);
      const env = String(body["environment"]);
      const app = typeof body["app"] === "string" ? body["app"] : "app";
      try {
        await deps.store.getManifest(digest as `sha256:${string}`);
      } catch (error) {
        if (error instanceof BlobNotFoundError)
          return reply(422, {
            message: `the store ${deps.store.url} has no artifact ${digest}: upload it before deploying`,
          });
        throw error;
      }
      let installationId: number;
      try {
        installationId = await deps.github.installationOf(repository);
      } catch (error) {
        if (statusOf(error) === 404)
          return reply(422, { message: `the Aether app is not installed on ${repository}` });
        throw error;
      }
      const pr = /^pr-(\d+)$/.exec(env);
      const idempotency = header(request, "idempotency-key");
      const [stored] = await requestDeploys(deps, [
        {
          dedupeKey: `api:${repository}:${idempotency ?? randomUUID()}`,
          repository,
          installationId,
          app,
          env,
          kind:
            env === "production"
              ? "production"
              : pr && env === previewEnv(Number(pr[1]))
                ? "preview"
                : "named",
          task: "deploy",
          sha,
          digest,
          prNumber: pr ? Number(pr[1]) : null,
          requestedBy: "api",
          source: "api",
          commandCommentId: null,
          verifyHead: false,
        },
      ]);
      return reply(202, {
        id: stored!.id,
        statusUrl: `${options.publicUrl()}/api/v1/deployments/${stored!.id}`,
      });
    }
    const match = /^\/api\/v1\/deployments\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (!match?.[1])
      return url.pathname.startsWith("/api/v1/") ? reply(404, { message: "no such API path" }) : false;
    if (request.method !== "GET") return reply(405, { message: "GET a deployment's state here" });
    const who = await caller(header(request, "authorization"));
    if (who === undefined)
      return reply(401, {
        message: "a Bearer token from AETHER_API_TOKENS or a job's OIDC token is required",
      });
    const found = await deps.records.get(match[1]);
    // An unknown id and one of a repository the token does not cover look alike.
    if (found === undefined || !who.covers(found.repository))
      return reply(404, { message: "no such deployment for this token" });
    return reply(200, apiState(found));
  };
}

/** The API's view of a request. */
export function apiState(request: DeployRequest): {
  state: ApiDeploymentState;
  url?: string;
  message?: string;
} {
  const state: ApiDeploymentState =
    request.state === "queued" || request.state.startsWith("waiting-")
      ? "queued"
      : request.state === "in_progress" || request.state === "success"
        ? request.state
        : "failure";
  return {
    state,
    ...(request.url ? { url: request.url } : {}),
    ...(request.message ? { message: request.message } : {}),
  };
}

function validate(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (key: string, ok: (v: string) => boolean, what: string, optional = false) => {
    const value = body[key];
    if (value === undefined && optional) return;
    if (typeof value !== "string" || !ok(value)) problems.push(`${key} must be ${what}`);
  };
  check("repository", (v) => REPOSITORY.test(v), "owner/name");
  check("sha", (v) => SHA.test(v), "a full 40-hex commit SHA");
  check("digest", isDigest, "sha256:<64 hex>");
  check("environment", (v) => NAME.test(v), "an environment name (lowercase letters, digits, dashes)");
  check("app", (v) => NAME.test(v), "an app name", true);
  return problems;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}
