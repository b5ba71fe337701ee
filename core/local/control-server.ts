import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  parseDeployCommand,
  type DeployCommand,
  type SupervisorEvent,
  type SupervisorStatus,
} from "./control-protocol.ts";

const MAX_BODY = 1024 * 1024;

export interface ControlHandlers {
  status(): SupervisorStatus;
  deploy(command: DeployCommand, emit: (event: SupervisorEvent) => void): Promise<void>;
  stop(): Promise<void>;
  /** Called once the answer to POST /stop has been sent, so the caller can exit without cutting it off. */
  stopAnswered(): void;
}

/** The HTTP server behind the control socket; routes are listed in control-protocol.ts. */
export function createControlServer(handlers: ControlHandlers): Server {
  return createServer((req, res) => {
    void route(handlers, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, 500, { error: message });
      else res.end();
    });
  });
}

async function route(handlers: ControlHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const key = `${req.method ?? ""} ${req.url ?? ""}`;
  if (key === "GET /status") return sendJson(res, 200, handlers.status());
  if (key === "POST /stop") {
    req.resume();
    await handlers.stop();
    res.once("close", () => handlers.stopAnswered());
    return sendJson(res, 200, { stopped: true });
  }
  if (key !== "POST /deploy") return sendJson(res, 404, { error: `no route ${key}` });
  let command: DeployCommand;
  try {
    command = parseDeployCommand(JSON.parse(await readBody(req)));
  } catch (error) {
    return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
  res.writeHead(200, { "content-type": "application/x-ndjson" });
  await handlers.deploy(command, (event) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(event)}\n`);
  });
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY) throw new Error(`request body over ${MAX_BODY} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
