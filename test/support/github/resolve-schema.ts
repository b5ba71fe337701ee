import { isObject, type JsonObject } from "./openapi-spec.ts";

/**
 * Returns `value` with every `#/components/...` `$ref` inlined and OpenAPI 3.0's `nullable: true`
 * rewritten to JSON Schema (`type: [t, "null"]`, or `anyOf` with `{ type: "null" }` when there is no
 * type), so that a plain JSON-schema validator reads it as GitHub means it. A `$ref` met again inside
 * itself (a recursive schema) becomes `{}`: anything is accepted at that depth.
 */
export function resolveSchema(value: unknown, components: JsonObject, seen: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveSchema(item, components, seen));
  if (!isObject(value)) return value;
  const ref = value.$ref;
  if (typeof ref === "string") {
    if (seen.includes(ref)) return {};
    return resolveSchema(lookup(ref, components), components, [...seen, ref]);
  }
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    // `example(s)` hold data, not schemas; skipping them keeps compiled validators small.
    if (key === "example" || key === "examples") continue;
    out[key] =
      key === "properties" && isObject(child)
        ? resolveProperties(child, components, seen)
        : resolveSchema(child, components, seen);
  }
  return out.nullable === true ? nullableToJsonSchema(out) : out;
}

function resolveProperties(properties: JsonObject, components: JsonObject, seen: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [name, schema] of Object.entries(properties))
    out[name] = resolveSchema(schema, components, seen);
  return out;
}

function nullableToJsonSchema(schema: JsonObject): JsonObject {
  const rest: JsonObject = { ...schema };
  delete rest.nullable;
  if (typeof rest.type === "string") {
    const result: JsonObject = { ...rest, type: [rest.type, "null"] };
    if (Array.isArray(rest.enum) && !rest.enum.includes(null)) result.enum = [...rest.enum, null];
    return result;
  }
  return { anyOf: [rest, { type: "null" }] };
}

function lookup(ref: string, components: JsonObject): unknown {
  const parts = ref.replace(/^#\/components\//, "").split("/");
  let node: unknown = components;
  for (const part of parts) {
    node = isObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  }
  if (node === undefined)
    throw new Error(`OpenAPI $ref ${ref} does not resolve in @octokit/openapi's components`);
  return node;
}
