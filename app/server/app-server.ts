import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Where the GitHub App's webhook URL points (Probot's default path; `/` is accepted too). */
export const WEBHOOK_PATH = "/api/github/webhooks";

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * The app's HTTP server: webhooks, the deploy API and a health check. A handler that throws gets a 500 with
 * no details (they go to the log, redacted by the caller).
 */
export async function startAppServer(options: {
  host: string;
  port: number;
  webhooks: RouteHandler;
  api: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  log: (line: string) => void;
}): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const route = async () => {
      if (path === WEBHOOK_PATH || path === "/") return options.webhooks(request, response);
      if (path === "/healthz") {
        response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
        return;
      }
      if (await options.api(request, response)) return;
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "Not Found" }));
    };
    route().catch((error: unknown) => {
      options.log(
        `request ${request.method ?? "?"} ${path ?? "?"} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent)
        response
          .writeHead(500, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "internal error" }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(":") ? `[${address.address}]` : address.address;
  return { server, url: `http://${host}:${address.port}` };
}
