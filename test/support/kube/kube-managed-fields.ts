import { isObject, jsonEqual, type JsonObject } from "./kube-json.ts";
import { itemKey, mergeKeysOf, sameKey } from "./kube-merge.ts";

/** A field path in fieldsV1 element syntax: ["f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:image"]. */
export type FieldPath = string[];

const untrackedRoot = new Set(["apiVersion", "kind", "status"]);
const untrackedMetadata = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
]);

/** The leaf fields an object (an apply configuration, or a whole object) sets, as server-side apply tracks them. */
export function fieldSetOf(object: JsonObject): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (value: unknown, path: FieldPath, field: string): void => {
    if (Array.isArray(value)) {
      const keys = mergeKeysOf(field, value);
      if (keys === undefined) {
        out.push(path);
        return;
      }
      for (const item of value) {
        const itemPath = [...path, `k:${JSON.stringify(itemKey(item, keys))}`];
        out.push([...itemPath, "."]);
        walk(item, itemPath, "");
      }
      return;
    }
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) {
        if (path.length === 0 && untrackedRoot.has(key)) continue;
        if (path.length === 1 && path[0] === "f:metadata" && untrackedMetadata.has(key)) continue;
        walk(child, [...path, `f:${key}`], key);
      }
      return;
    }
    if (path.length > 0) out.push(path);
  };
  walk(object, [], "");
  return out;
}

/** The value at a field path, or undefined. */
export function valueAtPath(object: unknown, path: FieldPath): unknown {
  let node: unknown = object;
  for (const element of path) {
    if (element === ".") return node;
    if (element.startsWith("f:")) node = isObject(node) ? node[element.slice(2)] : undefined;
    else if (element.startsWith("k:")) {
      const key: unknown = JSON.parse(element.slice(2));
      const keys = isObject(key) ? Object.keys(key) : [];
      node = Array.isArray(node) ? node.find((item) => sameKey(item, key, keys)) : undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/** Removes the field at a path (a keyed item when the path ends in "."). */
export function removePath(object: JsonObject, path: FieldPath): void {
  const parentPath = path[path.length - 1] === "." ? path.slice(0, -2) : path.slice(0, -1);
  const last = path[path.length - 1] === "." ? path[path.length - 2] : path[path.length - 1];
  const parent = valueAtPath(object, parentPath);
  if (last === undefined) return;
  if (last.startsWith("f:") && isObject(parent)) Reflect.deleteProperty(parent, last.slice(2));
  if (last.startsWith("k:") && Array.isArray(parent)) {
    const key: unknown = JSON.parse(last.slice(2));
    const keys = isObject(key) ? Object.keys(key) : [];
    const index = parent.findIndex((item) => sameKey(item, key, keys));
    if (index >= 0) parent.splice(index, 1);
  }
}

export const pathId = (path: FieldPath): string => path.join("\n");

/** `.spec.template.spec.containers[name="app"].image`: how conflicts name a field. */
export function displayPath(path: FieldPath): string {
  let out = "";
  for (const element of path) {
    if (element === ".") continue;
    if (element.startsWith("f:")) out += `.${element.slice(2)}`;
    else {
      const key: unknown = JSON.parse(element.slice(2));
      const parts = isObject(key) ? Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`) : [];
      out += `[${parts.join(",")}]`;
    }
  }
  return out;
}

/** fieldsV1 (nested `{"f:spec":{"f:replicas":{}}}`) from leaf paths. */
export function toFieldsV1(paths: FieldPath[]): JsonObject {
  const root: JsonObject = {};
  for (const path of paths) {
    let node = root;
    for (const element of path) {
      const next = node[element];
      if (isObject(next)) node = next;
      else {
        const made: JsonObject = {};
        node[element] = made;
        node = made;
      }
    }
  }
  return root;
}

/** Leaf paths from fieldsV1. */
export function fromFieldsV1(fields: unknown): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (node: unknown, path: FieldPath): void => {
    if (!isObject(node)) return;
    const entries = Object.entries(node);
    if (entries.length === 0 && path.length > 0) out.push(path);
    for (const [element, child] of entries) walk(child, [...path, element]);
  };
  walk(fields, []);
  return out;
}

/** Leaves of `after` whose value differs from `before`, plus leaves of `before` gone from `after`. */
export function changedPaths(before: JsonObject, after: JsonObject): FieldPath[] {
  const changed = fieldSetOf(after).filter(
    (p) => p[p.length - 1] !== "." && !jsonEqual(valueAtPath(before, p), valueAtPath(after, p)),
  );
  const added = fieldSetOf(after).filter(
    (p) => p[p.length - 1] === "." && valueAtPath(before, p) === undefined,
  );
  const gone = fieldSetOf(before).filter((p) => valueAtPath(after, p) === undefined);
  return [...changed, ...added, ...gone];
}
