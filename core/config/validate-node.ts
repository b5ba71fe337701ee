import { isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { closestName } from "./closest-name.ts";
import { parseDuration } from "./parse-duration.ts";
import type { FieldSchema } from "./schema-types.ts";

/** One problem in a config file: where (path, line, column) and what. */
export interface ConfigProblem {
  path: string;
  line: number;
  column: number;
  message: string;
}

type Path = readonly (string | number)[];

/**
 * Checks a YAML node against a schema, collecting every problem with its position, and returns the plain
 * value with defaults filled in (undefined where the node is invalid or absent without a default).
 */
export function validateNode(request: {
  schema: FieldSchema;
  node: Node | null | undefined;
  path: Path;
  at: Node | undefined;
  lines: LineCounter;
  problems: ConfigProblem[];
}): unknown {
  const { schema, node, path, lines, problems } = request;
  const report = (where: Node | undefined, message: string) => {
    const offset = where?.range?.[0] ?? request.at?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    problems.push({ path: formatPath(path), line, column: col, message });
  };
  const value = isScalar(node) ? node.value : node;
  if (value === null || value === undefined) {
    return "default" in schema ? schema.default : schema.kind === "object" ? validateObject({}) : undefined;
  }

  function validateObject(fields: Record<string, unknown>): unknown {
    if (schema.kind !== "object") return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(schema.fields)) {
      const child = validateNode({
        ...request,
        schema: field,
        node: fields[name] as Node | undefined,
        path: [...path, name],
        at: node ?? request.at,
      });
      if (child !== undefined) out[name] = child;
    }
    return out;
  }

  switch (schema.kind) {
    case "string": {
      if (typeof value !== "string")
        return report(node ?? undefined, `must be a string, not ${describe(value)}`);
      if (schema.enum && !schema.enum.includes(value)) {
        return report(node ?? undefined, `must be one of ${schema.enum.join(", ")}, not "${value}"`);
      }
      if (schema.pattern && !schema.pattern.test(value)) {
        return report(
          node ?? undefined,
          `must be ${schema.patternHint ?? `like ${String(schema.pattern)}`}, not "${value}"`,
        );
      }
      return value;
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        return report(node ?? undefined, `must be a whole number, not ${describe(value)}`);
      }
      if (
        (schema.min !== undefined && value < schema.min) ||
        (schema.max !== undefined && value > schema.max)
      ) {
        return report(
          node ?? undefined,
          `must be from ${schema.min ?? "-∞"} to ${schema.max ?? "∞"}, not ${value}`,
        );
      }
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean")
        return report(node ?? undefined, `must be true or false, not ${describe(value)}`);
      return value;
    case "duration":
      if (typeof value !== "string" || parseDuration(value) === undefined) {
        return report(node ?? undefined, `must be a duration such as 30m, 12h or 7d, not ${describe(value)}`);
      }
      return value;
    case "list": {
      if (!isSeq(node)) return report(node ?? undefined, `must be a list, not ${describe(value)}`);
      return node.items.map((item, index) =>
        validateNode({
          ...request,
          schema: schema.items,
          node: item as Node,
          path: [...path, index],
          at: node,
        }),
      );
    }
    case "object":
    case "map": {
      if (!isMap(node))
        return report(node ?? undefined, `must be a mapping of keys to values, not ${describe(value)}`);
      const fields: Record<string, unknown> = {};
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? keyNode.value : undefined;
        if (typeof key !== "string") {
          report(keyNode ?? node, `has a key that is not a string`);
          continue;
        }
        if (schema.kind === "map") {
          if (!schema.keyPattern.test(key)) {
            report(keyNode ?? node, `"${key}" is not a valid name (${schema.keyHint})`);
            continue;
          }
          out[key] = validateNode({
            ...request,
            schema: schema.values,
            node: pair.value as Node,
            path: [...path, key],
            at: keyNode ?? node,
          });
        } else if (!(key in schema.fields)) {
          const known = Object.keys(schema.fields);
          const near = closestName(key, known);
          report(
            keyNode ?? node,
            `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ""}; known keys: ${known.join(", ")}`,
          );
        } else {
          fields[key] = pair.value;
        }
      }
      if (schema.kind === "map") return out;
      for (const name of schema.required ?? []) {
        if (!(name in fields)) report(node, `is missing the required key "${name}"`);
      }
      return validateObject(fields);
    }
  }
}

function formatPath(path: Path): string {
  if (path.length === 0) return "(top level)";
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function describe(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (isSeq(value)) return "a list";
  if (isMap(value)) return "a mapping";
  return String(value);
}
