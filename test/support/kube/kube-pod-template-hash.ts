import { createHash } from "node:crypto";

/**
 * The `pod-template-hash` label of a pod template: ten characters from the safe alphabet, equal for equal
 * templates whatever order a patch left their keys in (so a rollback finds its old ReplicaSet).
 */
export function podTemplateHash(template: unknown): string {
  return createHash("sha256")
    .update(sortedJson(template))
    .digest("hex")
    .slice(0, 10)
    .replace(/[0-9]/g, (d) => "bcdfghjklm"[Number(d)] ?? "z");
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
