import { integrityHashes } from "./integrity-hashes.ts";
import { LockfileError } from "./lockfile-error.ts";
import { asRecord } from "./npm-entry.ts";
import { npmPurl } from "./package-url.ts";
import type { LockedPackage, PackageScope, ParsedLockfile } from "./sbom-model.ts";
import { parseYamlLockfile } from "./yaml-lockfile.ts";

const PROD_FIELDS = ["dependencies", "optionalDependencies"] as const;

/** `/@scope/name@1.0.0(peer@2)` (v6), `@scope/name@1.0.0` (v9) or `/name/1.0.0_peer` (v5) → name and version. */
function splitKey(key: string, major: number): { name: string; version: string } {
  const bare = key.replace(/^\//, "").replace(/\(.*$/, "");
  if (major < 6) {
    const slash = bare.lastIndexOf("/");
    return { name: bare.slice(0, slash), version: bare.slice(slash + 1).replace(/_.*$/, "") };
  }
  const at = bare.indexOf("@", 1);
  return { name: bare.slice(0, at), version: bare.slice(at + 1) };
}

/** The package key a dependency reference points at (`1.0.0`, `1.0.0(peer@2)`, an alias `other@1.0.0`). */
function refKey(name: string, ref: string, major: number): string | undefined {
  if (/^(link|file|workspace):/.test(ref)) return undefined;
  const version = ref.replace(/\(.*$/, "");
  if (major < 6)
    return ref.startsWith("/") ? splitKeyBase(ref, major) : `${name}@${version.replace(/_.*$/, "")}`;
  if (/^\/?@?[^@]+@/.test(version) && !/^\d/.test(version)) return version.replace(/^\//, "");
  return `${name}@${version}`;
}

function splitKeyBase(key: string, major: number): string {
  const { name, version } = splitKey(key, major);
  return `${name}@${version}`;
}

/**
 * Reads pnpm-lock.yaml (lockfile versions 5.x, 6.x and 9.x). v5/v6 mark dev packages; for v9 the scope
 * comes from walking the graph from each importer's production dependencies.
 */
export async function parsePnpmLock(text: string, file: string): Promise<ParsedLockfile> {
  const { data, lines } = await parseYamlLockfile(text, file);
  const major = Math.floor(Number(data["lockfileVersion"]));
  if (![5, 6, 7, 9].includes(major)) {
    throw new LockfileError({
      kind: "unsupported-version",
      file,
      line: lines.get("lockfileVersion") ?? 1,
      why: `lockfileVersion ${JSON.stringify(data["lockfileVersion"])} is not one Aether reads (5, 6 or 9); regenerate it with a current pnpm`,
    });
  }
  const packages = asRecord(data["packages"]) ?? {};
  const snapshots = asRecord(data["snapshots"]) ?? {};
  const byKey = new Map<string, LockedPackage>();
  const depsOf = new Map<string, Array<[string, string]>>();
  const addDeps = (base: string, entry: Record<string, unknown>) => {
    const list = depsOf.get(base) ?? [];
    for (const field of PROD_FIELDS) {
      for (const [n, r] of Object.entries(asRecord(entry[field]) ?? {})) list.push([n, String(r)]);
    }
    depsOf.set(base, list);
  };
  for (const key of Object.keys(packages)) {
    const entry = asRecord(packages[key]) ?? {};
    const line = lines.get(`packages\n${key}`) ?? 0;
    const parsed = splitKey(key, major);
    const name = typeof entry["name"] === "string" ? entry["name"] : parsed.name;
    const version = typeof entry["version"] === "string" ? entry["version"] : parsed.version;
    if (name === "" || version === "") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line,
        entry: key,
        why: "no name@version in the key; run pnpm install to repair the lockfile",
      });
    }
    const resolution = asRecord(entry["resolution"]) ?? {};
    const vcs =
      resolution["type"] === "git"
        ? `${String(resolution["repo"])}#${String(resolution["commit"])}`
        : undefined;
    const scope: PackageScope =
      entry["dev"] === true ? "excluded" : entry["optional"] === true ? "optional" : "required";
    const pkg: LockedPackage = {
      ecosystem: "npm",
      name,
      version,
      purl: npmPurl(name, version, vcs !== undefined ? { vcs_url: vcs } : undefined),
      hashes: integrityHashes(
        typeof resolution["integrity"] === "string" ? resolution["integrity"] : undefined,
      ),
      licenses: [],
      scope,
      dependsOn: [],
      source: { file, line },
    };
    if (vcs !== undefined) pkg.vcsUrl = vcs;
    const base = splitKeyBase(key, major);
    byKey.set(base, byKey.get(base) ?? pkg);
    addDeps(base, entry);
  }
  for (const key of Object.keys(snapshots)) addDeps(splitKeyBase(key, major), asRecord(snapshots[key]) ?? {});
  for (const [base, deps] of depsOf) {
    const pkg = byKey.get(base);
    if (!pkg) continue;
    for (const [n, r] of deps) {
      const target = byKey.get(refKey(n, r, major) ?? "");
      if (target && target !== pkg && !pkg.dependsOn.includes(target.purl)) pkg.dependsOn.push(target.purl);
    }
  }
  const importers = asRecord(data["importers"]) ?? { ".": data };
  const direct = new Set<string>();
  const prodRoots: LockedPackage[] = [];
  for (const importer of Object.values(importers)) {
    const record = asRecord(importer) ?? {};
    for (const field of [...PROD_FIELDS, "devDependencies"]) {
      for (const [n, spec] of Object.entries(asRecord(record[field]) ?? {})) {
        // v6+ importers write { specifier, version }; v5 writes the version directly.
        const ref = typeof spec === "string" ? spec : String(asRecord(spec)?.["version"] ?? "");
        const target = byKey.get(refKey(n, ref, major) ?? "");
        if (!target) continue;
        direct.add(target.purl);
        if (field !== "devDependencies") prodRoots.push(target);
      }
    }
  }
  if (major >= 9) markDevOnly([...byKey.values()], prodRoots);
  return { file, kind: "pnpm", packages: [...new Set(byKey.values())], direct: [...direct] };
}

/** v9 has no dev flag: whatever production dependencies cannot reach is development-only. */
function markDevOnly(all: LockedPackage[], roots: LockedPackage[]): void {
  const byPurl = new Map(all.map((p) => [p.purl, p]));
  const reached = new Set<string>();
  const queue = roots.map((p) => p.purl);
  while (queue.length > 0) {
    const purl = queue.pop()!;
    if (reached.has(purl)) continue;
    reached.add(purl);
    queue.push(...(byPurl.get(purl)?.dependsOn ?? []));
  }
  for (const pkg of all) if (!reached.has(pkg.purl)) pkg.scope = "excluded";
}
