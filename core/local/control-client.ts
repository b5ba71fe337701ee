import { request, type IncomingMessage } from "node:http";
import { lineSplitter } from "./line-splitter.ts";

/**
 * Sends one request to a supervisor's control socket and returns the parsed JSON answer. Rejects when nothing
 * listens (ENOENT, ECONNREFUSED), on a non-2xx answer, or after `timeoutMs`.
 */
export function controlJson(call: {
  socket: string;
  method: "GET" | "POST";
  path: string;
  timeoutMs: number;
}): Promise<unknown> {
  return new Promise((settle, fail) => {
    const req = request({ socketPath: call.socket, method: call.method, path: call.path }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", fail);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if ((res.statusCode ?? 500) >= 300)
          return fail(new Error(`${call.path} answered ${res.statusCode}: ${text}`));
        try {
          settle(JSON.parse(text));
        } catch (error) {
          fail(error);
        }
      });
    });
    req.setTimeout(call.timeoutMs, () => req.destroy(new Error(`no answer within ${call.timeoutMs} ms`)));
    req.on("error", fail);
    req.end();
  });
}

/**
 * POSTs a JSON body and yields each line of the NDJSON answer as parsed JSON, as it arrives. Throws if the
 * connection breaks before the answer ends.
 */
export async function* controlStream(socket: string, path: string, body: unknown): AsyncGenerator<unknown> {
  const payload = JSON.stringify(body);
  const res = await new Promise<IncomingMessage>((settle, fail) => {
    const req = request({
      socketPath: socket,
      method: "POST",
      path,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
    });
    req.on("response", settle);
    req.on("error", fail);
    req.end(payload);
  });
  const lines: string[] = [];
  const splitter = lineSplitter((line) => {
    if (line.trim() !== "") lines.push(line);
  });
  if ((res.statusCode ?? 500) >= 300) {
    let text = "";
    for await (const chunk of res) text += String(chunk);
    throw new Error(`${path} answered ${res.statusCode}: ${text}`);
  }
  for await (const chunk of res) {
    splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    yield* parsed(lines);
  }
  splitter.end();
  yield* parsed(lines);
}

function* parsed(lines: string[]): Generator<unknown> {
  for (let line = lines.shift(); line !== undefined; line = lines.shift()) {
    const value: unknown = JSON.parse(line);
    yield value;
  }
}
