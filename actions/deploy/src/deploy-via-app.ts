import { setTimeout as sleep } from "node:timers/promises";
import { AppApiError } from "./app-api-error.ts";
import { parseDeployment, type Deployment } from "./parse-deployment.ts";

export interface DeployRequestBody {
  repository: string;
  sha: string;
  digest: string;
  environment: string;
  app?: string;
}

/**
 * Asks the Aether app to deploy (`POST <appUrl>/api/v1/deployments`, bearer token, `Idempotency-Key`) and
 * follows the deployment (`GET …/:id`, waiting as long as the app's `Retry-After` says, 2 s when it says
 * nothing) until it succeeds, fails, or `timeoutMs` passes. Calls that fail on the network or with 429/5xx
 * are tried again (the POST with the same key, so it deploys once). Resolves with the successful
 * deployment; every other outcome is an `AppApiError` whose message says what to do. The token never
 * appears in a message.
 */
export async function deployViaApp(request: {
  appUrl: string;
  token: string;
  body: DeployRequestBody;
  timeoutMs: number;
  /** Sent as `Idempotency-Key`, so a POST retried after a lost answer does not deploy twice. */
  idempotencyKey: string;
  onState: (deployment: Deployment) => void;
  now?: () => number;
  /** Milliseconds before the first retry of a call that failed transiently (default 1000; doubles). */
  retryDelayMs?: number;
}): Promise<Deployment> {
  const now = request.now ?? Date.now;
  const deadline = now() + request.timeoutMs;
  const base = request.appUrl.replace(/\/+$/, "");
  const retryDelayMs = request.retryDelayMs ?? 1000;
  const created = await call({
    method: "POST",
    url: `${base}/api/v1/deployments`,
    token: request.token,
    body: request.body,
    idempotencyKey: request.idempotencyKey,
    retryDelayMs,
  });
  let deployment = parseDeployment(created.body, `POST ${base}/api/v1/deployments`, { state: "queued" });
  let last = "";
  let wait = created.retryAfterMs;
  for (;;) {
    if (deployment.state !== last) request.onState(deployment);
    last = deployment.state;
    if (deployment.state === "success") return deployment;
    if (deployment.state === "failure") {
      throw new AppApiError(
        "failed",
        `deployment ${deployment.id} of ${request.body.digest} to ${request.body.environment} failed: ` +
          `${deployment.message ?? "the app gave no reason"}`,
      );
    }
    if (now() + (wait ?? 0) > deadline) {
      throw new AppApiError(
        "timeout",
        `deployment ${deployment.id} was still ${deployment.state} after ${Math.round(request.timeoutMs / 1000)} s; ` +
          `follow it in the Aether app, or raise the timeout input`,
      );
    }
    await sleep(wait ?? 2000);
    const url = `${base}/api/v1/deployments/${encodeURIComponent(deployment.id)}`;
    const polled = await call({ method: "GET", url, token: request.token, retryDelayMs });
    deployment = parseDeployment(polled.body, `GET ${url}`, { id: deployment.id });
    wait = polled.retryAfterMs;
  }
}

const ATTEMPTS = 3;

interface CallRequest {
  method: "GET" | "POST";
  url: string;
  token: string;
  body?: DeployRequestBody;
  idempotencyKey?: string;
  retryDelayMs: number;
}

interface CallResult {
  body: unknown;
  retryAfterMs: number | undefined;
}

/** One API call, tried again (with the same idempotency key) when the network or the app failed transiently. */
async function call(request: CallRequest): Promise<CallResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await callOnce(request);
    } catch (error) {
      const transient =
        error instanceof AppApiError &&
        (error.kind === "unreachable" ||
          (error.status !== undefined && (error.status === 429 || error.status >= 500)));
      if (!transient || attempt >= ATTEMPTS) throw error;
      await sleep(request.retryDelayMs * 2 ** (attempt - 1));
    }
  }
}

async function callOnce(request: CallRequest): Promise<CallResult> {
  const where = `${request.method} ${request.url}`;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        Accept: "application/json",
        Authorization: `Bearer ${request.token}`,
        ...(request.body ? { "Content-Type": "application/json" } : {}),
        ...(request.idempotencyKey ? { "Idempotency-Key": request.idempotencyKey } : {}),
      },
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new AppApiError(
      "unreachable",
      `${where}: the Aether app could not be reached (${cause}); check app-url`,
    );
  }
  const text = await response.text();
  const body = parseJson(text);
  const reason =
    messageOf(body) ?? (text.length > 0 && text.length < 300 ? text.trim() : response.statusText);
  if (response.status === 401 || response.status === 403) {
    throw new AppApiError(
      "refused",
      `${where}: the Aether app refused the token (HTTP ${response.status}: ${reason}). Check that the token ` +
        "secret holds an Aether API token allowed to deploy this repository (or, without a token, that the " +
        "job has `id-token: write` and the app trusts this repository)",
      response.status,
    );
  }
  if (!response.ok) {
    throw new AppApiError(
      "rejected",
      `${where}: the Aether app answered HTTP ${response.status}: ${reason}`,
      response.status,
    );
  }
  const retryAfter = Number(response.headers.get("retry-after") ?? "NaN");
  return {
    body,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  // Parsing boundary: the app's error answers are `{message}` (or `{error}` from a proxy in front of it).
  const record = body as Record<string, unknown>;
  const message = record["message"] ?? record["error"];
  return typeof message === "string" ? message : undefined;
}
