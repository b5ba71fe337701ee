import { LockfileError, parseJsonLockfile } from "./lockfile-error.ts";
import { parseNpmLockV1 } from "./npm-lock-v1.ts";
import { mergePackage as mergeInto } from "./merge-package.ts";
import { npmEntryLines } from "./npm-entry-lines.ts";
import { asRecord, declaredDependencies, npmPackage } from "./npm-entry.ts";
import type { LockedPackage, ParsedLockfile } from "./sbom-model.ts";

const DEP_FIELDS = ["dependencies", "optionalDependencies", "peerDependencies"] as const;
const ROOT_DEP_FIELDS = [...DEP_FIELDS, "devDependencies"] as const;
const NM = "node_modules/";

/**
 * Reads an npm package-lock.json (v1, v2 or v3; v2 is read through its v3 `packages` section):
 * workspaces, nested node_modules, `npm:` aliases, git/file/link dependencies and bundled ones.
 * @example parseNpmLock(await readFile("package-lock.json", "utf8"), "package-lock.json")
 */
export function parseNpmLock(text: string, file: string): ParsedLockfile {
  const root = asRecord(parseJsonLockfile(text, file));
  if (!root)
    throw new LockfileError({ kind: "syntax", file, line: 1, why: "the top level is not a JSON object" });
  const version = root["lockfileVersion"];
  if (version === 1) return parseNpmLockV1(root, text, file);
  if (version !== 2 && version !== 3) {
    throw new LockfileError({
      kind: "unsupported-version",
      file,
      line: lineOfKey(text, "lockfileVersion"),
      why: `lockfileVersion ${JSON.stringify(version)} is not one Aether reads (1, 2 or 3); regenerate it with npm 7 or later`,
    });
  }
  const entries = asRecord(root["packages"]);
  if (!entries) {
    throw new LockfileError({
      kind: "syntax",
      file,
      why: `lockfileVersion ${version} without a "packages" object`,
    });
  }
  return readPackages(entries, text, file);
}

function readPackages(entries: Record<string, unknown>, text: string, file: string): ParsedLockfile {
  const keyLines = npmEntryLines(text);
  const lineOf = (key: string) => keyLines.get(key) ?? 0;
  const byPath = new Map<string, LockedPackage>();
  const unique = new Map<string, LockedPackage>();
  const linkTargets = new Map<string, string>();
  for (const key of Object.keys(entries)) {
    if (!key.startsWith(NM) && !key.includes(`/${NM}`)) continue; // root or a workspace/link folder
    const entry = asRecord(entries[key]) ?? {};
    let target = entry;
    if (entry["link"] === true) {
      const resolved = entry["resolved"];
      target = (typeof resolved === "string" ? asRecord(entries[resolved]) : undefined) ?? {};
      if (typeof resolved === "string") linkTargets.set(key, resolved);
    }
    const version = target["version"];
    if (typeof version !== "string" || version === "") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line: lineOf(key),
        entry: key,
        why: 'the entry has no "version"; the lockfile was hand-edited or is damaged: run npm install to repair it',
      });
    }
    // An alias (`"foo": "npm:bar@1"`) is stored under its alias path with the real name in `name`.
    const name =
      entry["link"] !== true && typeof entry["name"] === "string" ? entry["name"] : nameFromPath(key);
    const made = npmPackage({ name, version, entry, scopeFrom: target, file, line: lineOf(key) });
    const pkg = mergeInto(unique, made);
    byPath.set(key, pkg);
  }
  const resolve = (from: string, dep: string): LockedPackage | undefined => {
    let base = from;
    for (;;) {
      const found = byPath.get(base === "" ? NM + dep : `${base}/${NM}${dep}`);
      if (found || base === "") return found;
      const cut = base.lastIndexOf(`/${NM}`);
      base = cut >= 0 ? base.slice(0, cut) : "";
    }
  };
  const link = (pkg: LockedPackage, from: string, names: string[]) => {
    for (const dep of names) {
      const found = resolve(from, dep);
      if (found && found !== pkg && !pkg.dependsOn.includes(found.purl)) pkg.dependsOn.push(found.purl);
    }
  };
  for (const [key, pkg] of byPath) {
    // A link's dependencies live at its target folder, and resolve from there.
    const from = linkTargets.get(key) ?? key;
    const entry = asRecord(entries[from]) ?? {};
    link(pkg, from, declaredDependencies(entry, DEP_FIELDS));
  }
  const direct = new Set<string>();
  const rootEntry = asRecord(entries[""]) ?? {};
  for (const dep of declaredDependencies(rootEntry, ROOT_DEP_FIELDS)) {
    const found = resolve("", dep);
    if (found) direct.add(found.purl);
  }
  for (const [key, target] of linkTargets) {
    if (!key.includes(`/${NM}`) && !target.includes(NM)) direct.add(byPath.get(key)!.purl); // workspaces
  }
  return { file, kind: "npm", packages: [...unique.values()], direct: [...direct] };
}

function nameFromPath(key: string): string {
  return key.slice(key.lastIndexOf(NM) + NM.length);
}

function lineOfKey(text: string, key: string): number {
  const at = text.indexOf(`"${key}"`);
  return at === -1 ? 0 : text.slice(0, at).split("\n").length;
}
