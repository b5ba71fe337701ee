import { jsonKeyLines } from "./json-key-lines.ts";
import { LockfileError } from "./lockfile-error.ts";
import { asRecord, npmPackage } from "./npm-entry.ts";
import { mergePackage as mergeInto } from "./merge-package.ts";
import type { LockedPackage, ParsedLockfile } from "./sbom-model.ts";

interface Scope {
  parent: Scope | undefined;
  made: Map<string, LockedPackage>;
}

/** Reads the nested `dependencies` tree of a lockfileVersion 1 package-lock.json (npm 5 and 6). */
export function parseNpmLockV1(root: Record<string, unknown>, text: string, file: string): ParsedLockfile {
  const keyLines = jsonKeyLines(text);
  const unique = new Map<string, LockedPackage>();
  const pending: Array<{ pkg: LockedPackage; requires: string[]; lookup: Scope }> = [];
  const visit = (deps: Record<string, unknown>, parent: Scope | undefined, path: string): Scope => {
    const scope: Scope = { parent, made: new Map() };
    for (const key of Object.keys(deps)) {
      const entry = asRecord(deps[key]) ?? {};
      const entryPath = `${path}\n${key}`;
      const line = keyLines.get(entryPath) ?? 0;
      const raw = entry["version"];
      if (typeof raw !== "string" || raw === "") {
        throw new LockfileError({
          kind: "invalid-entry",
          file,
          line,
          entry: key,
          why: 'the entry has no "version"; the lockfile was hand-edited or is damaged: run npm install to repair it',
        });
      }
      const { name, version, resolved } = v1Identity(key, raw, entry["resolved"]);
      const made = npmPackage({ name, version, entry: { ...entry, resolved }, scopeFrom: entry, file, line });
      const pkg = mergeInto(unique, made);
      scope.made.set(key, pkg);
      const item = { pkg, requires: Object.keys(asRecord(entry["requires"]) ?? {}), lookup: scope };
      pending.push(item);
      const nested = asRecord(entry["dependencies"]);
      // Node's lookup starts in the package's own nested node_modules, then each enclosing one.
      if (nested) item.lookup = visit(nested, scope, `${entryPath}\ndependencies`);
    }
    return scope;
  };
  const top = visit(asRecord(root["dependencies"]) ?? {}, undefined, "dependencies");
  for (const { pkg, requires, lookup } of pending) {
    for (const dep of requires) {
      let found: LockedPackage | undefined;
      for (let s: Scope | undefined = lookup; !found && s; s = s.parent) found = s.made.get(dep);
      if (found && found !== pkg && !pkg.dependsOn.includes(found.purl)) pkg.dependsOn.push(found.purl);
    }
  }
  const direct = [...top.made.values()].map((p) => p.purl);
  return { file, kind: "npm", packages: [...unique.values()], direct: [...new Set(direct)] };
}

/** v1 keeps aliases, git and file dependencies in the version field. */
function v1Identity(
  key: string,
  version: string,
  resolved: unknown,
): { name: string; version: string; resolved: unknown } {
  if (version.startsWith("npm:")) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf("@");
    return { name: spec.slice(0, at), version: spec.slice(at + 1), resolved };
  }
  if (/^(git\+|git:|github:)/.test(version)) {
    const hash = version.lastIndexOf("#");
    return { name: key, version: hash === -1 ? "" : version.slice(hash + 1), resolved: version };
  }
  if (version.startsWith("file:")) return { name: key, version: "", resolved: version };
  return { name: key, version, resolved };
}
