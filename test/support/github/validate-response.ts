import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import { isObject, type JsonObject, type OpenApiIndex, type SpecOperation } from "./openapi-spec.ts";
import { resolveSchema } from "./resolve-schema.ts";

const require = createRequire(import.meta.url);
const AjvClass: typeof import("ajv").default = require("ajv");
const addFormats: typeof import("ajv-formats").default = require("ajv-formats");

const ajv = addFormats(new AjvClass({ strict: false, allErrors: true, logger: false }));
const compiled = new Map<string, ValidateFunction | undefined>();

/**
 * Checks a JSON response the server built against the operation's documented response schema, with
 * `required` dropped: the server sends a subset of GitHub's fields, but each field it sends must have
 * GitHub's type, enum and nullability. Returns the problems (a bug in the test server, not the app).
 */
export function validateResponse(
  index: OpenApiIndex,
  spec: SpecOperation,
  status: number,
  body: unknown,
): string[] {
  const key = `${spec.method} ${spec.template} ${status}`;
  if (!compiled.has(key)) compiled.set(key, compile(index, spec, status));
  const validate = compiled.get(key);
  if (validate === undefined || validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `response ${e.instancePath || "body"} ${e.message ?? "is invalid"}`,
  );
}

function compile(index: OpenApiIndex, spec: SpecOperation, status: number): ValidateFunction | undefined {
  const responses = isObject(spec.operation.responses) ? spec.operation.responses : {};
  const response = resolveSchema(responses[String(status)], index.components);
  const content = isObject(response) && isObject(response.content) ? response.content : {};
  const json = content["application/json"];
  if (!isObject(json) || !isObject(json.schema)) return undefined;
  const schema = withoutRequired(json.schema);
  return isObject(schema) ? ajv.compile(schema) : undefined;
}

function withoutRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequired);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "required" && Array.isArray(child)) continue;
    // Without `required`, `oneOf` branches overlap (a user matches both simple-user and enterprise).
    if (key === "oneOf") {
      out.anyOf = withoutRequired(child);
      continue;
    }
    if (key === "properties" && isObject(child)) {
      out[key] = Object.fromEntries(
        Object.entries(child).map(([name, schema]) => [name, withoutRequired(schema)]),
      );
    } else {
      out[key] = withoutRequired(child);
    }
  }
  return out;
}
