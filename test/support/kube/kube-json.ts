/** A JSON object as the test server stores and serves it. */
export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object at `key`, or an empty object (not attached) when absent. */
export function objectAt(parent: unknown, key: string): JsonObject {
  if (!isObject(parent)) return {};
  const value = parent[key];
  return isObject(value) ? value : {};
}

/** The object at `key`, created and attached when absent. */
export function ensureObject(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (isObject(value)) return value;
  const made: JsonObject = {};
  parent[key] = made;
  return made;
}

export function stringAt(parent: unknown, key: string): string | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  return typeof value === "string" ? value : undefined;
}

export function numberAt(parent: unknown, key: string): number | undefined {
  if (!isObject(parent)) return undefined;
  const value = parent[key];
  return typeof value === "number" ? value : undefined;
}

export function arrayAt(parent: unknown, key: string): unknown[] {
  if (!isObject(parent)) return [];
  const value = parent[key];
  return Array.isArray(value) ? value : [];
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
