import { badRequest } from "./kube-status.ts";
import { clone, isObject, type JsonObject } from "./kube-json.ts";

const nameKeyed = new Set([
  "containers",
  "initContainers",
  "ephemeralContainers",
  "volumes",
  "env",
  "imagePullSecrets",
  "hostAliases",
]);

/**
 * The merge keys of a list field, as the Kubernetes schemas declare them (x-kubernetes-patch-merge-key /
 * list-map-keys) for the lists our kinds use; `undefined` means the list is atomic (replaced whole).
 */
export function mergeKeysOf(field: string, items: unknown[]): string[] | undefined {
  const first = items.find(isObject);
  if (field === "ports" && first !== undefined) {
    if ("containerPort" in first) return ["containerPort", "protocol"];
    if ("port" in first) return ["port", "protocol"];
  }
  if (field === "volumeMounts") return ["mountPath"];
  if (field === "conditions") return ["type"];
  if (field === "ownerReferences") return ["uid"];
  if (nameKeyed.has(field)) return ["name"];
  return undefined;
}

/** The identity of a keyed list item: protocol defaults to TCP as the API server defaults it. */
export function itemKey(item: unknown, keys: string[]): JsonObject {
  const key: JsonObject = {};
  for (const k of [...keys].sort()) {
    const value = isObject(item) ? item[k] : undefined;
    if (value !== undefined) key[k] = value;
    else if (k === "protocol") key[k] = "TCP";
  }
  return key;
}

export function sameKey(a: unknown, b: unknown, keys: string[]): boolean {
  return JSON.stringify(itemKey(a, keys)) === JSON.stringify(itemKey(b, keys));
}

/**
 * Merges `patch` into `target` the way server-side apply and strategic merge patch do: maps merge
 * recursively, keyed lists merge item by item, other lists and scalars replace, `null` deletes.
 * Strategic-merge directives (`$patch: delete`, `$setElementOrder/…`, `$retainKeys`) are honoured
 * or dropped; other directives are not supported.
 */
export function mergeStrategic(target: unknown, patch: unknown, field = ""): unknown {
  if (Array.isArray(patch)) {
    const keys = mergeKeysOf(field, patch);
    if (keys === undefined || !Array.isArray(target)) return clone(patch.filter((p) => !isDirective(p)));
    const out = clone(target);
    for (const item of patch) {
      const index = out.findIndex((existing) => sameKey(existing, item, keys));
      if (isObject(item) && item.$patch === "delete") {
        if (index >= 0) out.splice(index, 1);
      } else if (index >= 0) out[index] = mergeStrategic(out[index], item, "");
      else out.push(mergeStrategic(undefined, item, ""));
    }
    return out;
  }
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === "replace") return stripDirectives(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$setElementOrder/") || key === "$retainKeys" || key === "$patch") continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const listKey = key.slice("$deleteFromPrimitiveList/".length);
      const list = out[listKey];
      if (Array.isArray(list) && Array.isArray(value)) out[listKey] = list.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) Reflect.deleteProperty(out, key);
    else out[key] = mergeStrategic(out[key], value, key);
  }
  return out;
}

function isDirective(value: unknown): boolean {
  return isObject(value) && "$patch" in value;
}

function stripDirectives(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(patch)) if (!k.startsWith("$")) out[k] = clone(v);
  return out;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(out, key);
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/"))
    throw badRequest(`the server rejected our request due to an error in our request`);
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(root: JsonObject, parts: string[]): { parent: unknown; last: string } {
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (node === undefined) throw badRequest(`doc is missing path: "/${parts.join("/")}": missing value`);
  }
  return { parent: node, last: parts[parts.length - 1] ?? "" };
}

function read(root: JsonObject, path: string): unknown {
  const { parent, last } = parentOf(root, pointer(path));
  return Array.isArray(parent) ? parent[Number(last)] : isObject(parent) ? parent[last] : undefined;
}

function write(root: JsonObject, path: string, value: unknown, insert: boolean): void {
  const { parent, last } = parentOf(root, pointer(path));
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : Number(last);
    if (insert) parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) parent[last] = value;
}

function removeAt(root: JsonObject, path: string): void {
  const { parent, last } = parentOf(root, pointer(path));
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) {
    if (!(last in parent)) throw badRequest(`doc is missing path: "${path}": missing value`);
    Reflect.deleteProperty(parent, last);
  }
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: JsonObject, operations: unknown): JsonObject {
  if (!Array.isArray(operations))
    throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  const doc = clone(target);
  for (const op of operations) {
    if (!isObject(op) || typeof op.path !== "string") throw badRequest("invalid JSON patch operation");
    const path = op.path;
    const from = typeof op.from === "string" ? op.from : "";
    switch (op.op) {
      case "add":
        write(doc, path, clone(op.value), true);
        break;
      case "replace":
        if (read(doc, path) === undefined)
          throw badRequest(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        write(doc, path, clone(op.value), false);
        break;
      case "remove":
        removeAt(doc, path);
        break;
      case "move": {
        const value = read(doc, from);
        removeAt(doc, from);
        write(doc, path, value, true);
        break;
      }
      case "copy":
        write(doc, path, clone(read(doc, from)), true);
        break;
      case "test":
        if (JSON.stringify(read(doc, path)) !== JSON.stringify(op.value))
          throw badRequest(`testing value ${path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}
