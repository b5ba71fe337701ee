import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { badRequest, statusError } from "./kube-status.ts";
import type { JsonObject } from "./kube-json.ts";

export async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  const type = request.headers["content-type"] ?? "";
  if (type.includes("protobuf") || type.includes("cbor")) {
    // Built-in kubectl verbs (create namespace …) send protobuf; client-go retries in JSON on a 415.
    throw statusError({
      code: 415,
      reason: "UnsupportedMediaType",
      message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    });
  }
  try {
    return type.includes("yaml") ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (error) {
    throw badRequest(
      `error decoding request body: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function sendJson(response: ServerResponse, code: number, body: JsonObject | unknown[]): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "audit-id": "aether-test",
  });
  response.end(text);
}
