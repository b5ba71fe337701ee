import { createPublicKey, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { TokenRegistry, verifyAppJwt } from "./app-auth.ts";
import { Faults, type Fault } from "./faults.ts";
import { GitHubState } from "./github-state.ts";
import { errorReply, type Handler, type HandlerContext, type Reply } from "./handler.ts";
import { appHookHandlers } from "./handlers-app-hooks.ts";
import { checkHandlers } from "./handlers-checks.ts";
import { commentHandlers } from "./handlers-comments.ts";
import { deploymentHandlers } from "./handlers-deployments.ts";
import { environmentHandlers } from "./handlers-environments.ts";
import { repoHandlers } from "./handlers-repos.ts";
import { isObject, loadOpenApiIndex, matchOperation } from "./openapi-spec.ts";
import { RateLimits } from "./rate-limits.ts";
import { validateRequest } from "./validate-request.ts";
import { validateResponse } from "./validate-response.ts";

/** One request as the server saw it, with what was wrong with it (empty `problems` when valid). */
export interface RecordedRequest {
  method: string;
  url: string;
  /** `METHOD /spec/template`, or undefined when no operation matched. */
  route: string | undefined;
  operationId: string | undefined;
  body: unknown;
  status: number;
  problems: string[];
  /** Where the server's own JSON answer strays from GitHub's documented types (a test-server bug). */
  responseProblems: string[];
}

export interface GitHubTestServer {
  /** `http://127.0.0.1:<port>`: Octokit's `baseUrl`. */
  url: string;
  state: GitHubState;
  requests: RecordedRequest[];
  faults: Faults;
  tokens: TokenRegistry;
  /** Moves the server's clock (token expiry, rate-limit windows, timestamps) forward. */
  advanceTime: (ms: number) => void;
  stop: () => Promise<void>;
}

export interface GitHubServerOptions {
  /** The app's id and private key (PEM, as `PRIVATE_KEY`): app JWTs (`Bearer <jwt>`) must be RS256-signed by it. */
  app?: { id: number | string; privateKey: string };
}

const handlers: Record<string, Handler> = {
  ...repoHandlers,
  ...commentHandlers,
  ...checkHandlers,
  ...deploymentHandlers,
  ...environmentHandlers,
  ...appHookHandlers,
};
// Endpoints GitHub authenticates with the app's JWT rather than an installation token.
const jwtOperations = new Set([
  "apps/get-authenticated",
  "apps/get-repo-installation",
  "apps/create-installation-access-token",
  "apps/list-installations",
  "apps/get-installation",
  "apps/get-org-installation",
  "apps/list-webhook-deliveries",
  "apps/redeliver-webhook-delivery",
]);

/**
 * Starts a GitHub REST API double on 127.0.0.1: every request is checked against `@octokit/openapi`
 * (unknown route → 404, invalid parameters or body → 422, both recorded), then answered from an
 * in-memory GitHub. See README.md beside this file.
 */
export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubTestServer> {
  const index = loadOpenApiIndex();
  let offsetMs = 0;
  const now = (): number => Date.now() + offsetMs;
  const state = new GitHubState(now);
  const requests: RecordedRequest[] = [];
  const faults = new Faults();
  const tokens = new TokenRegistry();
  const rateLimits = new RateLimits();
  let baseUrl = "";
  const appPublicKey = options.app === undefined ? undefined : createPublicKey(options.app.privateKey);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const raw = await readBody(request);
    const url = new URL(request.url ?? "/", baseUrl);
    const method = request.method ?? "GET";
    const record: RecordedRequest = {
      method,
      url: `${url.pathname}${url.search}`,
      route: undefined,
      operationId: undefined,
      body: undefined,
      status: 0,
      problems: [],
      responseProblems: [],
    };
    requests.push(record);
    const credential = credentialOf(request);
    const send = (reply: Reply): void => {
      record.status = reply.status;
      const headers = {
        ...rateLimits.headers(credential ?? "anonymous", now()),
        "x-github-request-id": randomUUID(),
        "x-github-api-version-selected": "2022-11-28",
        ...reply.headers,
      };
      if (reply.body === undefined) {
        response.writeHead(reply.status, headers).end();
      } else if (typeof reply.body === "string") {
        response
          .writeHead(reply.status, { ...headers, "content-type": "text/plain; charset=utf-8" })
          .end(reply.body);
      } else {
        response
          .writeHead(reply.status, { ...headers, "content-type": "application/json; charset=utf-8" })
          .end(JSON.stringify(reply.body));
      }
    };
    const matched = matchOperation(index, method, url.pathname);
    if (matched === undefined) {
      record.problems.push(`no operation ${method} ${url.pathname} in GitHub's OpenAPI description`);
      return send(errorReply(404, "Not Found"));
    }
    const { spec, pathParams } = matched;
    record.route = `${spec.method} ${spec.template}`;
    record.operationId = spec.operationId;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        record.problems.push("the body is not JSON");
        return send(errorReply(400, "Problems parsing JSON", spec.documentationUrl));
      }
    }
    record.body = body;
    const query = Object.fromEntries(url.searchParams);
    record.problems.push(...validateRequest(index, spec, { pathParams, query, body }));
    if (record.problems.length > 0) {
      return send(
        errorReply(422, `Invalid request.\n\n${record.problems.join("\n")}`, spec.documentationUrl),
      );
    }
    const auth = authenticate(credential, jwtOperations.has(spec.operationId));
    if (!auth.ok) return send(errorReply(401, auth.message, "https://docs.github.com/rest"));
    const fault = faults.take(spec);
    if (fault !== undefined && fault.kind !== "delay" && fault.kind !== "lostResponse")
      return send(faultReply(fault, now()));
    if (fault?.kind === "delay") await sleep(fault.ms);
    const handler = handlers[spec.operationId];
    if (handler === undefined) {
      return send(
        errorReply(
          501,
          `The GitHub test server does not implement ${spec.operationId} (${record.route}): add it in test/support/github/`,
        ),
      );
    }
    const context: HandlerContext = {
      state,
      params: pathParams,
      query,
      body: isObject(body) ? body : {},
      baseUrl,
      rawUrl: record.url,
      installationId: auth.installationId,
      accept: request.headers.accept ?? "application/vnd.github+json",
      mintToken: (id) => tokens.mint(id, now()),
    };
    const reply = handler(context);
    if (reply.status < 300 && typeof reply.body === "object") {
      record.responseProblems.push(...validateResponse(index, spec, reply.status, reply.body));
    }
    if (fault?.kind === "lostResponse") {
      record.status = -1;
      request.socket.destroy();
      return;
    }
    send(reply);
  };

  const authenticate = (
    credential: string | undefined,
    wantsJwt: boolean,
  ): { ok: true; installationId: number | undefined } | { ok: false; message: string } => {
    if (credential === undefined) return { ok: false, message: "Requires authentication" };
    if (wantsJwt) {
      if (options.app === undefined || appPublicKey === undefined)
        return {
          ok: false,
          message: "A JSON web token could not be decoded (the test server was started without `app`)",
        };
      const check = verifyAppJwt(credential, {
        appId: String(options.app.id),
        publicKey: appPublicKey,
        nowMs: now(),
      });
      return check.ok ? { ok: true, installationId: undefined } : check;
    }
    const status = tokens.check(credential, now());
    if (status === "valid") return { ok: true, installationId: tokens.installationOf(credential) };
    return { ok: false, message: "Bad credentials" };
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        response
          .writeHead(500, { "content-type": "application/json" })
          .end(JSON.stringify({ message: `test server error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    state,
    requests,
    faults,
    tokens,
    advanceTime: (ms) => {
      offsetMs += ms;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

function credentialOf(request: IncomingMessage): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
}

function faultReply(
  fault: Exclude<Fault, { kind: "delay" } | { kind: "lostResponse" }>,
  nowMs: number,
): Reply {
  const docs = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
  if (fault.kind === "status")
    return errorReply(fault.status, fault.status === 500 ? "Server Error" : "Bad Gateway");
  if (fault.kind === "secondaryRateLimit") {
    const reply = errorReply(
      403,
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
      `${docs}#about-secondary-rate-limits`,
    );
    return { ...reply, headers: { "retry-after": String(fault.retryAfterSeconds ?? 60) } };
  }
  const reset = Math.floor(nowMs / 1000) + (fault.resetInSeconds ?? 60);
  const reply = errorReply(
    fault.status ?? 403,
    "API rate limit exceeded for installation ID 1.",
    `${docs}#about-the-primary-rate-limit`,
  );
  return {
    ...reply,
    headers: {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(reset),
      "x-ratelimit-limit": "5000",
      "x-ratelimit-used": "5000",
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
