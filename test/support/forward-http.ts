import { request, type ClientRequest, type IncomingMessage, type ServerResponse } from "node:http";

/**
 * Sends one request on to `upstream` and its answer back, status, headers and body as they come; either side
 * going away ends the other. The body of every proxy the tests put in front of a server.
 */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, upstream: URL): ClientRequest {
  const up = request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    },
  );
  up.on("error", () => res.destroy());
  res.on("close", () => up.destroy());
  req.pipe(up);
  return up;
}
