import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from "@kubernetes/client-node";
import type { KubeClients } from "./kube-client.ts";
import {
  failureStatus,
  KubeApiError,
  KubeError,
  kubeErrorFrom,
  kubeStatusError,
  KubeUnreachableError,
  type KubeOperation,
} from "./kube-errors.ts";

export interface KubeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON (also valid for `application/apply-patch+yaml`, YAML being a superset of JSON). */
  body?: unknown;
  contentType?: string;
  /** For error messages: what this request does. */
  operation: KubeOperation;
  /** Field manager, named in conflict errors. */
  fieldManager?: string;
  signal?: AbortSignal;
  /** Per-request timeout (default 30 s); an unanswered request is reported as the server unreachable. */
  timeoutMs?: number;
  /**
   * Retries after a 429, a 5xx or a dropped connection (default 2; never for POST, which is not
   * idempotent), waiting `retryDelayMs` (default 250) times the attempt number, or the server's Retry-After.
   */
  retries?: number;
  retryDelayMs?: number;
}

export interface KubeResponse {
  code: number;
  body: unknown;
}

const http = new IsomorphicFetchHttpLibrary();

/** The current context's API server URL (for messages). */
export function serverOf(clients: Pick<KubeClients, "config">): string {
  return clients.config.getCurrentCluster()?.server ?? "(no server in kubeconfig)";
}

/**
 * One request to the API server with the kubeconfig's credentials and TLS settings, in wire JSON: objects
 * go out and come back exactly as the API server reads and writes them (client-node's typed serializer
 * renames reserved words such as `from` and `default`, which server-side apply must not see).
 * Failures become the named errors of kube-errors.ts.
 */
export async function kubeRequest(
  clients: Pick<KubeClients, "config">,
  request: KubeRequest,
): Promise<KubeResponse> {
  const retries = request.method === "POST" ? 0 : (request.retries ?? 2);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptRequest(clients, request);
    } catch (error) {
      const wait = attempt <= retries ? retryDelay(error, attempt, request.retryDelayMs ?? 250) : undefined;
      if (wait === undefined) throw error;
      await sleep(wait, request.signal);
    }
  }
}

/** How long to wait before retrying after `error`, or undefined when retrying cannot help. */
function retryDelay(error: unknown, attempt: number, baseMs: number): number | undefined {
  const transient =
    error instanceof KubeUnreachableError ||
    (error instanceof KubeApiError && (error.code === 429 || error.code >= 500));
  if (!transient) return undefined;
  const after = error instanceof KubeApiError ? error.retryAfterSeconds : undefined;
  return after === undefined ? baseMs * attempt : Math.min(after, 10) * 1000;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });
}

async function attemptRequest(
  clients: Pick<KubeClients, "config">,
  request: KubeRequest,
): Promise<KubeResponse> {
  const server = serverOf(clients);
  const context = {
    server,
    operation: request.operation,
    ...(request.fieldManager === undefined ? {} : { fieldManager: request.fieldManager }),
  };
  const url = new URL(server.replace(/\/+$/, "") + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const ctx = new RequestContext(url.toString(), HttpMethod[request.method]);
  ctx.setHeaderParam("Accept", "application/json");
  if (request.body !== undefined) {
    ctx.setHeaderParam("Content-Type", request.contentType ?? "application/json");
    ctx.setBody(JSON.stringify(request.body));
  }
  const timeout = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  ctx.setSignal(request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]));
  try {
    await clients.config.applySecurityAuthentication(ctx);
    const response = await http.send(ctx).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) {
      return { code: response.httpStatusCode, body: parseBody(text, context) };
    }
    const status = failureStatus(response.httpStatusCode, text);
    const retryAfter = Number(response.headers["retry-after"] ?? Number.NaN);
    if (status.retryAfterSeconds === undefined && retryAfter > 0) status.retryAfterSeconds = retryAfter;
    throw kubeStatusError({ ...context, status });
  } catch (error) {
    // A caller's abort stays an abort; only our own timeout means "unreachable".
    if (request.signal?.aborted === true) throw error;
    throw kubeErrorFrom(error, context);
  }
}

function parseBody(text: string, context: { server: string; operation: KubeOperation }): unknown {
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KubeError({
      ...context,
      message:
        `${context.server} answered a Kubernetes API request with something that is not JSON ` +
        `(${JSON.stringify(text.slice(0, 80))}…): is the kubeconfig's server URL an API server, not a proxy's page?`,
    });
  }
}
