import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

/** Where the proxy sends a request right now: a release's internal port, or an explanation. */
export type ProxyRoute =
  { kind: "up"; port: number; release: number } | { kind: "unavailable"; status: 502 | 503; message: string };

export interface ReverseProxy {
  readonly server: Server;
  /** Requests forwarded to `port` whose answer has not finished. */
  inFlight(port: number): number;
  /** Resolves when no request forwarded to `port` is unfinished, or after `maxMs`. */
  drain(port: number, maxMs: number): Promise<void>;
  /** Stops listening and cuts every connection, upgraded ones included. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

/**
 * The environment's public face: an HTTP server that pipes each request to whatever `route()` names at the
 * moment it arrives, so a release switch is one assignment and requests already forwarded finish against
 * the release they started on (`drain` waits for them before that release is stopped). WebSocket and other
 * `upgrade` requests are tunnelled. Adds X-Forwarded-For/-Proto/-Host.
 */
export function createReverseProxy(route: () => ProxyRoute): ReverseProxy {
  const agent = new Agent({ keepAlive: true });
  const inFlight = new Map<number, number>();
  const tunnels = new Set<Duplex>();
  const count = (port: number, delta: number): void => {
    const next = (inFlight.get(port) ?? 0) + delta;
    if (next === 0) inFlight.delete(port);
    else inFlight.set(port, next);
  };

  const server = createServer((req, res) => {
    const target = route();
    if (target.kind === "unavailable") {
      plainAnswer(res, target.status, target.message);
      req.resume();
      return;
    }
    count(target.port, 1);
    res.once("close", () => count(target.port, -1));
    const upstream = httpRequest({
      host: "127.0.0.1",
      port: target.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req, false),
      agent,
    });
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", (error) => {
      if (res.headersSent) return void res.destroy();
      plainAnswer(res, 502, `release ${target.release} did not answer (${errorCode(error)})`);
    });
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const target = route();
    if (target.kind === "unavailable") return void rawAnswer(socket, target.status, target.message);
    tunnels.add(socket);
    socket.once("close", () => tunnels.delete(socket));
    const upstream = httpRequest({
      host: "127.0.0.1",
      port: target.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req, true),
    });
    upstream.on("upgrade", (answer, upstreamSocket, upstreamHead) => {
      tunnels.add(upstreamSocket);
      upstreamSocket.once("close", () => tunnels.delete(upstreamSocket));
      socket.write(
        `HTTP/1.1 101 ${answer.statusMessage ?? "Switching Protocols"}\r\n${rawLines(answer.rawHeaders)}\r\n`,
      );
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.on("error", () => socket.destroy());
      socket.on("close", () => upstreamSocket.destroy());
      upstreamSocket.on("close", () => socket.destroy());
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    upstream.on("response", (answer) => {
      // The app declined the upgrade: relay its answer as is.
      socket.write(
        `HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ""}\r\n${rawLines(answer.rawHeaders)}\r\n`,
      );
      answer.pipe(socket);
    });
    upstream.on("error", (error) => {
      rawAnswer(socket, 502, `release ${target.release} did not answer (${errorCode(error)})`);
    });
    upstream.end();
  });

  return {
    server,
    inFlight: (port) => inFlight.get(port) ?? 0,
    async drain(port, maxMs) {
      const deadline = Date.now() + maxMs;
      while ((inFlight.get(port) ?? 0) > 0 && Date.now() < deadline) await sleep(20);
    },
    close() {
      return new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        agent.destroy();
      });
    },
  };
}

function forwardedHeaders(req: IncomingMessage, upgrade: boolean): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = upgrade ? { ...req.headers } : withoutHopByHop(req.headers);
  const client = req.socket.remoteAddress ?? "unknown";
  const prior = req.headers["x-forwarded-for"];
  headers["x-forwarded-for"] = prior === undefined ? client : `${String(prior)}, ${client}`;
  headers["x-forwarded-proto"] = req.headers["x-forwarded-proto"] ?? "http";
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  if (host !== undefined) headers["x-forwarded-host"] = host;
  return headers;
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase());
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.includes(name)) out[name] = value;
  }
  return out;
}

function plainAnswer(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`Aether: ${message}\n`);
}

function rawAnswer(socket: Duplex, status: number, message: string): void {
  const body = `Aether: ${message}\n`;
  const reason = status === 503 ? "Service Unavailable" : "Bad Gateway";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function rawLines(raw: string[]): string {
  let lines = "";
  for (let i = 0; i + 1 < raw.length; i += 2) lines += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return lines;
}

function errorCode(error: Error): string {
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code === "ECONNREFUSED") return "connection refused";
  return code ?? error.message;
}
