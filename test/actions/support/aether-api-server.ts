import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One deployment request the stand-in app received, with the bearer token it carried. */
export interface ReceivedDeployment {
  id: string;
  token: string;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
  polls: number;
}

/** A stand-in for the Aether app's deployments API, for driving the deploy action. */
export interface AetherApiServer {
  url: string;
  deployments: ReceivedDeployment[];
  /** Every request's method and path, in order. */
  log: string[];
  stop: () => Promise<void>;
}

/**
 * Serves `POST /api/v1/deployments` (202 `{id, statusUrl}`, the same deployment again for a repeated
 * `Idempotency-Key`) and `GET /api/v1/deployments/:id` (`{state, url?, message?}`) as app/api does: a token
 * `accept` refuses answers 401; a deployment goes queued → in_progress → `outcome` over successive polls,
 * each answer with `Retry-After: 0` so the action polls at once. `unavailable` first answers that many
 * requests 503 after handling them, as an app whose answer was lost on the way.
 */
export async function startAetherApiServer(options: {
  accept: (token: string) => boolean;
  unavailable?: number;
  outcome: { state: "success"; url: string } | { state: "failure"; message: string };
}): Promise<AetherApiServer> {
  const deployments: ReceivedDeployment[] = [];
  const log: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      log.push(`${req.method ?? ""} ${path}`);
      let lost = (options.unavailable ?? 0) >= log.length;
      const send = (status: number, body: unknown) => {
        res.writeHead(lost ? 503 : status, { "Content-Type": "application/json", "Retry-After": "0" });
        res.end(JSON.stringify(lost ? { message: "upstream unavailable" } : body));
        lost = false;
      };
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      if (!options.accept(token)) return send(401, { message: "token not valid for this repository" });
      if (req.method === "POST" && path === "/api/v1/deployments") {
        const key = req.headers["idempotency-key"];
        const idempotencyKey = typeof key === "string" ? key : undefined;
        const again = deployments.find(
          (d) => idempotencyKey !== undefined && d.idempotencyKey === idempotencyKey,
        );
        if (again) return send(202, { id: again.id, statusUrl: `/api/v1/deployments/${again.id}` });
        const deployment = {
          id: `d-${deployments.length + 1}`,
          token,
          idempotencyKey,
          body: JSON.parse(text) as Record<string, unknown>,
          polls: 0,
        };
        deployments.push(deployment);
        return send(202, { id: deployment.id, statusUrl: `/api/v1/deployments/${deployment.id}` });
      }
      const match = /^\/api\/v1\/deployments\/([^/]+)$/.exec(path);
      const deployment = deployments.find((d) => d.id === match?.[1]);
      if (req.method === "GET" && deployment) {
        deployment.polls += 1;
        if (deployment.polls < 3)
          return send(200, { state: deployment.polls === 1 ? "queued" : "in_progress" });
        return send(200, options.outcome);
      }
      return send(404, { message: `no route ${req.method ?? ""} ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deployments,
    log,
    stop: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
