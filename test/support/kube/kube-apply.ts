import { clone, isObject, jsonEqual, objectAt, type JsonObject } from "./kube-json.ts";
import {
  changedPaths,
  displayPath,
  fieldSetOf,
  fromFieldsV1,
  pathId,
  removePath,
  toFieldsV1,
  valueAtPath,
  type FieldPath,
} from "./kube-managed-fields.ts";
import { mergeStrategic } from "./kube-merge.ts";
import { statusError } from "./kube-status.ts";

interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  paths: FieldPath[];
  subresource?: string;
}

function readEntries(object: JsonObject): ManagerEntry[] {
  const list = objectAt(object, "metadata").managedFields;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((e) => {
    const entry: ManagerEntry = {
      manager: typeof e.manager === "string" ? e.manager : "",
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "",
      time: typeof e.time === "string" ? e.time : "",
      paths: fromFieldsV1(e.fieldsV1),
    };
    if (typeof e.subresource === "string") entry.subresource = e.subresource;
    return entry;
  });
}

function writeEntries(object: JsonObject, entries: ManagerEntry[]): void {
  const metadata = objectAt(object, "metadata");
  metadata.managedFields = entries
    .filter((e) => e.paths.length > 0)
    .map((e) => {
      const out: JsonObject = {
        manager: e.manager,
        operation: e.operation,
        apiVersion: e.apiVersion,
        time: e.time,
        fieldsType: "FieldsV1",
        fieldsV1: toFieldsV1(e.paths),
      };
      if (e.subresource !== undefined) out.subresource = e.subresource;
      return out;
    });
  object.metadata = metadata;
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** Records a non-apply write (create, update, patch) by `manager`: it takes over the fields it changed. */
export function recordUpdate(input: {
  before: JsonObject | undefined;
  after: JsonObject;
  manager: string;
  apiVersion: string;
  subresource?: string;
}): void {
  const entries = input.before === undefined ? [] : readEntries(input.before);
  const changed =
    input.before === undefined ? fieldSetOf(input.after) : changedPaths(input.before, input.after);
  if (changed.length === 0) {
    writeEntries(input.after, entries);
    return;
  }
  const changedIds = new Set(changed.map(pathId));
  for (const entry of entries) entry.paths = entry.paths.filter((p) => !changedIds.has(pathId(p)));
  let mine = entries.find((e) => e.manager === input.manager && e.operation === "Update");
  if (mine === undefined) {
    mine = {
      manager: input.manager,
      operation: "Update",
      apiVersion: input.apiVersion,
      time: now(),
      paths: [],
    };
    if (input.subresource !== undefined) mine.subresource = input.subresource;
    entries.push(mine);
  }
  const present = changed.filter((p) => valueAtPath(input.after, p) !== undefined);
  const ids = new Set(mine.paths.map(pathId));
  mine.paths.push(...present.filter((p) => !ids.has(pathId(p))));
  mine.time = now();
  writeEntries(input.after, entries);
}

/**
 * Server-side apply of `config` onto `current` (undefined when creating) by `manager`. Throws the 409
 * Conflict Status an API server answers when another manager owns a field this apply sets to a
 * different value and `force` is false.
 */
export function serverSideApply(input: {
  current: JsonObject | undefined;
  config: JsonObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  qualifiedResource: string;
  name: string;
}): JsonObject {
  const applied = fieldSetOf(input.config);
  const appliedIds = new Set(applied.map(pathId));
  const current = input.current === undefined ? {} : clone(input.current);
  const entries = input.current === undefined ? [] : readEntries(current);
  const others = entries.filter((e) => !(e.manager === input.manager && e.operation === "Apply"));
  const conflicts: { manager: string; apiVersion: string; path: FieldPath }[] = [];
  for (const entry of others) {
    for (const path of entry.paths) {
      if (path[path.length - 1] === "." || !appliedIds.has(pathId(path))) continue;
      if (!jsonEqual(valueAtPath(current, path), valueAtPath(input.config, path))) {
        conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, path });
      }
    }
  }
  if (conflicts.length > 0 && !input.force)
    throw conflictError(conflicts, input.qualifiedResource, input.name);
  const conflictIds = new Set(conflicts.map((c) => pathId(c.path)));
  for (const entry of others) entry.paths = entry.paths.filter((p) => !conflictIds.has(pathId(p)));
  const previous = entries.find((e) => e.manager === input.manager && e.operation === "Apply");
  const ownedByOthers = new Set(others.flatMap((e) => e.paths.map(pathId)));
  for (const path of previous?.paths ?? []) {
    if (!appliedIds.has(pathId(path)) && !ownedByOthers.has(pathId(path))) removePath(current, path);
  }
  const merged = mergeStrategic(current, input.config);
  const result: JsonObject = isObject(merged) ? merged : {};
  const mine: ManagerEntry = previous ?? {
    manager: input.manager,
    operation: "Apply",
    apiVersion: input.apiVersion,
    time: now(),
    paths: [],
  };
  mine.paths = applied;
  mine.time = now();
  writeEntries(
    result,
    previous === undefined ? [...others, mine] : entries.map((e) => (e === previous ? mine : e)),
  );
  return result;
}

function conflictError(
  conflicts: { manager: string; apiVersion: string; path: FieldPath }[],
  qualifiedResource: string,
  name: string,
) {
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with "${c.manager}" using ${c.apiVersion}`,
    field: displayPath(c.path),
  }));
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const label = `conflict with "${c.manager}" using ${c.apiVersion}`;
    byManager.set(label, [...(byManager.get(label) ?? []), displayPath(c.path)]);
  }
  const parts = [...byManager].map(([label, fields]) =>
    fields.length === 1 ? `${label}: ${fields[0]}` : `${label}:\n- ${fields.join("\n- ")}`,
  );
  const count = conflicts.length === 1 ? "1 conflict" : `${conflicts.length} conflicts`;
  const [resource = qualifiedResource, ...group] = qualifiedResource.split(".");
  const details: JsonObject = { name, kind: resource, causes };
  if (group.length > 0) details.group = group.join(".");
  return statusError({
    code: 409,
    reason: "Conflict",
    message: `Apply failed with ${count}: ${parts.join("\n")}`,
    details,
  });
}
