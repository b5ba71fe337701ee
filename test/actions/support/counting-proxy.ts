import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { forwardHttp } from "../../support/forward-http.ts";

/** One request that went through the proxy: method, path, and the request body's size in bytes. */
export interface ProxiedRequest {
  method: string;
  path: string;
  bytes: number;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of `target` that records each request and counts the body bytes a
 * client sent: what an upload really cost on the wire, measured outside the code being measured.
 */
export async function startCountingProxy(target: string): Promise<{
  url: string;
  requests: ProxiedRequest[];
  stop: () => Promise<void>;
}> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const record: ProxiedRequest = { method: req.method ?? "", path: req.url ?? "", bytes: 0 };
    requests.push(record);
    forwardHttp(req, res, upstream);
    req.on("data", (chunk: Buffer) => (record.bytes += chunk.length));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
