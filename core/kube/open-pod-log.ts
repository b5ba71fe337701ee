import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";

/** What `pods/log` is asked for; `timestamps` is always on, since lines are merged by time. */
export interface PodLogQuery {
  container: string;
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339; API servers read it to the second. */
  sinceTime?: string;
}

/** The part of client-node's KubeConfig this adapter uses: the cluster URL and the request's credentials. */
export interface PodLogConfig {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}

/** The API server refused a log request (pod gone, container not started yet, no permission …). */
export class PodLogError extends Error {
  readonly status: number;
  constructor(input: { status: number; pod: string; container: string; reason: string }) {
    super(`Cannot read the log of ${input.pod}/${input.container}: ${input.reason} (HTTP ${input.status})`);
    this.name = "PodLogError";
    this.status = input.status;
  }
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * Opens `GET …/pods/NAME/log?timestamps=true` and yields its lines (without the newline) as they arrive.
 * client-node's `Log` is not used: in 2.0 it pipes the response without an error handler, so an aborted
 * follow or a dropped connection throws an uncaught exception; here both end the iteration with an error
 * the caller handles (aborting through `signal` rejects with an AbortError).
 * @example for await (const raw of await openPodLog({ config, namespace, pod, query: { container: "app" } })) …
 */
export async function openPodLog(request: {
  config: PodLogConfig;
  namespace: string;
  pod: string;
  query: PodLogQuery;
  signal?: AbortSignal;
}): Promise<AsyncGenerator<string>> {
  const { config, namespace, pod, query } = request;
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig has no current cluster");
  const url = new URL(
    `${cluster.server.replace(/\/+$/, "")}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/` +
      `${encodeURIComponent(pod)}/log`,
  );
  url.searchParams.set("container", query.container);
  url.searchParams.set("timestamps", "true");
  if (query.follow === true) url.searchParams.set("follow", "true");
  if (query.tailLines !== undefined) url.searchParams.set("tailLines", String(query.tailLines));
  if (query.sinceSeconds !== undefined) url.searchParams.set("sinceSeconds", String(query.sinceSeconds));
  if (query.sinceTime !== undefined) url.searchParams.set("sinceTime", query.sinceTime);
  const options: RequestOptions = { method: "GET" };
  await config.applyToHTTPSOptions(options);
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, { ...options, ...(request.signal ? { signal: request.signal } : {}) }, resolve);
    req.on("error", reject);
    req.end();
  });
  if (response.statusCode !== 200) {
    const body = await readSome(response);
    throw new PodLogError({
      status: response.statusCode ?? 0,
      pod,
      container: query.container,
      reason: statusMessage(body) ?? (body.trim().slice(0, 300) || "no reason given"),
    });
  }
  return lines(response);
}

async function* lines(response: IncomingMessage): AsyncGenerator<string> {
  // Decoding as a stream keeps a character split across two chunks whole.
  response.setEncoding("utf8");
  let rest = "";
  try {
    for await (const chunk of response) {
      const text = rest + String(chunk);
      const parts = text.split("\n");
      rest = parts.pop() ?? "";
      yield* parts;
    }
    if (rest !== "") yield rest;
  } finally {
    response.destroy();
  }
}

async function readSome(response: IncomingMessage): Promise<string> {
  response.setEncoding("utf8");
  let body = "";
  for await (const chunk of response) {
    body += String(chunk);
    if (body.length > MAX_ERROR_BODY) break;
  }
  return body;
}

/** The message of a Kubernetes Status object, when the body is one. */
function statusMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "message" in parsed) {
      return typeof parsed.message === "string" ? parsed.message : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
