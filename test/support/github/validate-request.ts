import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { isObject, type JsonObject, type OpenApiIndex, type SpecOperation } from "./openapi-spec.ts";
import { resolveSchema } from "./resolve-schema.ts";

// ajv and ajv-formats are CommonJS with `export default`; createRequire keeps their types simple to use.
const require = createRequire(import.meta.url);
const AjvClass: typeof import("ajv").default = require("ajv");
const addFormats: typeof import("ajv-formats").default = require("ajv-formats");

/** What a request carried, as the server parsed it. */
export interface RequestParts {
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

interface CompiledOperation {
  params: ValidateFunction;
  body: ValidateFunction | undefined;
  bodyRequired: boolean;
}

// Parameters arrive as strings: this instance coerces them to the schema's types (as GitHub does).
const paramsAjv = addFormats(
  new AjvClass({ strict: false, allErrors: true, coerceTypes: "array", logger: false }),
);
const bodyAjv = addFormats(new AjvClass({ strict: false, allErrors: true, logger: false }));
const compiled = new Map<string, CompiledOperation>();

/** Validates path and query parameters and the JSON body against the operation; returns the problems found. */
export function validateRequest(index: OpenApiIndex, spec: SpecOperation, parts: RequestParts): string[] {
  const validators = compile(index, spec);
  const problems: string[] = [];
  const params = { ...parts.query, ...parts.pathParams };
  if (!validators.params(params)) problems.push(...describe(validators.params.errors, "parameter"));
  if (validators.body !== undefined) {
    if (parts.body === undefined) {
      if (validators.bodyRequired) problems.push("a JSON request body is required");
    } else if (!validators.body(parts.body)) {
      problems.push(...describe(validators.body.errors, "body"));
    }
  } else if (parts.body !== undefined && spec.method !== "GET" && !isEmpty(parts.body)) {
    problems.push(`${spec.method} ${spec.template} takes no request body`);
  }
  return problems;
}

function compile(index: OpenApiIndex, spec: SpecOperation): CompiledOperation {
  const key = `${spec.method} ${spec.template}`;
  const existing = compiled.get(key);
  if (existing !== undefined) return existing;
  const properties: JsonObject = {};
  const required: string[] = [];
  const parameters = resolveSchema(spec.operation.parameters, index.components);
  for (const parameter of Array.isArray(parameters) ? parameters : []) {
    if (!isObject(parameter) || typeof parameter.name !== "string") continue;
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    properties[parameter.name] = isObject(parameter.schema) ? parameter.schema : {};
    if (parameter.required === true || parameter.in === "path") required.push(parameter.name);
  }
  const requestBody = resolveSchema(spec.operation.requestBody, index.components);
  const content = isObject(requestBody) && isObject(requestBody.content) ? requestBody.content : {};
  const json = content["application/json"];
  const bodySchema = isObject(json) && isObject(json.schema) ? json.schema : undefined;
  const result: CompiledOperation = {
    params: paramsAjv.compile({ type: "object", properties, required }),
    body: bodySchema === undefined ? undefined : bodyAjv.compile(bodySchema),
    bodyRequired: isObject(requestBody) && requestBody.required === true,
  };
  compiled.set(key, result);
  return result;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? [])
    .filter((error) => error.keyword !== "if")
    .map((error) => {
      const at = error.instancePath === "" ? where : `${where} ${error.instancePath}`;
      const allowed = error.keyword === "enum" ? ` (${JSON.stringify(error.params.allowedValues)})` : "";
      return `${at} ${error.message ?? "is invalid"}${allowed}`;
    });
}

function isEmpty(body: unknown): boolean {
  return isObject(body) && Object.keys(body).length === 0;
}
