import { badRequest } from "./kube-status.ts";
import { arrayAt, objectAt, stringAt, stringMap, type JsonObject } from "./kube-json.ts";

type Requirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!"; key: string };

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth += 1;
    if (ch === ")") depth -= 1;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

function parseRequirement(part: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
  if (set !== null) {
    const values = set[3]!
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return { op: set[2] === "in" ? "in" : "notin", key: set[1]!, values };
  }
  const neq = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(part);
  if (neq !== null) return { op: "!=", key: neq[1]!, value: neq[2]! };
  const eq = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(part);
  if (eq !== null) return { op: "=", key: eq[1]!, value: eq[2]! };
  const not = /^!\s*(\S+)$/.exec(part);
  if (not !== null) return { op: "!", key: not[1]! };
  if (/^[A-Za-z0-9._/-]+$/.test(part)) return { op: "exists", key: part };
  throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
}

function matches(requirements: Requirement[], values: Record<string, string>): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(values, r.key);
    const value = values[r.key];
    switch (r.op) {
      case "=":
        return value === r.value;
      case "!=":
        return value !== r.value;
      case "in":
        return has && r.values.includes(value ?? "");
      case "notin":
        return !has || !r.values.includes(value ?? "");
      case "exists":
        return has;
      case "!":
        return !has;
    }
  });
}

/** A predicate for `?labelSelector=` (equality- and set-based, as kubectl -l sends it). */
export function labelSelectorPredicate(selector: string | null): (object: JsonObject) => boolean {
  if (selector === null || selector.trim() === "") return () => true;
  const requirements = splitTop(selector).map(parseRequirement);
  return (object) => matches(requirements, stringMap(objectAt(object, "metadata").labels));
}

/** A predicate for `?fieldSelector=`: metadata.name, metadata.namespace, and a few per-kind fields. */
export function fieldSelectorPredicate(selector: string | null): (object: JsonObject) => boolean {
  if (selector === null || selector.trim() === "") return () => true;
  const requirements = splitTop(selector).map(parseRequirement);
  const supported = [
    "metadata.name",
    "metadata.namespace",
    "status.phase",
    "spec.nodeName",
    "involvedObject.name",
    "involvedObject.kind",
    "involvedObject.uid",
    "involvedObject.namespace",
    "involvedObject.apiVersion",
    "type",
    "reason",
    "source",
  ];
  for (const r of requirements) {
    if (!supported.includes(r.key)) throw badRequest(`field label not supported: ${r.key}`);
  }
  return (object) => {
    const values: Record<string, string> = {
      "metadata.name": stringAt(objectAt(object, "metadata"), "name") ?? "",
      "metadata.namespace": stringAt(objectAt(object, "metadata"), "namespace") ?? "",
      "status.phase": stringAt(objectAt(object, "status"), "phase") ?? "",
      "spec.nodeName": stringAt(objectAt(object, "spec"), "nodeName") ?? "",
      "involvedObject.name": stringAt(objectAt(object, "involvedObject"), "name") ?? "",
      "involvedObject.kind": stringAt(objectAt(object, "involvedObject"), "kind") ?? "",
      "involvedObject.uid": stringAt(objectAt(object, "involvedObject"), "uid") ?? "",
      "involvedObject.namespace": stringAt(objectAt(object, "involvedObject"), "namespace") ?? "",
      "involvedObject.apiVersion": stringAt(objectAt(object, "involvedObject"), "apiVersion") ?? "",
      type: stringAt(object, "type") ?? "",
      reason: stringAt(object, "reason") ?? "",
      source: stringAt(objectAt(object, "source"), "component") ?? "",
    };
    return matches(requirements, values);
  };
}

/** Whether a LabelSelector object (matchLabels/matchExpressions) selects these labels. */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const matchLabels = stringMap(objectAt(selector, "matchLabels"));
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return arrayAt(selector, "matchExpressions").every((e) => {
    const key = stringAt(e, "key") ?? "";
    const operator = stringAt(e, "operator") ?? "";
    const values = arrayAt(e, "values").filter((v): v is string => typeof v === "string");
    const requirement: Requirement =
      operator === "In"
        ? { op: "in", key, values }
        : operator === "NotIn"
          ? { op: "notin", key, values }
          : { op: operator === "Exists" ? "exists" : "!", key };
    return matches([requirement], labels);
  });
}
