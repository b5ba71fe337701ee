import { prefixedHash } from "./integrity-hashes.ts";
import { LockfileError } from "./lockfile-error.ts";
import { asRecord } from "./npm-entry.ts";
import { normalizePypiName } from "./package-url.ts";
import { scopeByReach } from "./python-graph.ts";
import type { LockedPackage, PackageHash, ParsedLockfile } from "./sbom-model.ts";
import { packageHeaderLines, parseTomlLockfile } from "./toml-lockfile.ts";
import { pypiPackage } from "./pypi-package.ts";

type DepRef = { name: string; version?: string };

function depRefs(value: unknown): DepRef[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((d: unknown) => {
    const r = asRecord(d);
    if (!r || typeof r["name"] !== "string") return [];
    return [
      typeof r["version"] === "string" ? { name: r["name"], version: r["version"] } : { name: r["name"] },
    ];
  });
}

function groupRefs(value: unknown): DepRef[] {
  return Object.values(asRecord(value) ?? {}).flatMap(depRefs);
}

/**
 * Reads uv.lock (version 1). The project and its workspace members (editable or virtual sources) are
 * not components: their dependencies are the direct ones, their optional extras `optional`, their
 * development groups `excluded`. Hashes are the sdist's and every wheel's.
 */
export async function parseUvLock(text: string, file: string): Promise<ParsedLockfile> {
  const data = await parseTomlLockfile(text, file);
  if (data["version"] !== 1) {
    throw new LockfileError({
      kind: "unsupported-version",
      file,
      line: 1,
      why: `uv.lock version ${JSON.stringify(data["version"])} is not one Aether reads (1); regenerate it with a current uv`,
    });
  }
  const headers = packageHeaderLines(text);
  const entries = Array.isArray(data["package"]) ? data["package"] : [];
  const packages: LockedPackage[] = [];
  const byName = new Map<string, LockedPackage[]>();
  const pending: Array<{ pkg: LockedPackage; deps: DepRef[] }> = [];
  const roots = { required: [] as DepRef[], optional: [] as DepRef[], excluded: [] as DepRef[] };
  entries.forEach((raw: unknown, index) => {
    const entry = asRecord(raw) ?? {};
    const line = headers[index] ?? 0;
    const name = entry["name"];
    const source = asRecord(entry["source"]) ?? {};
    if (typeof name !== "string") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line,
        entry: `package #${index + 1}`,
        why: 'the entry has no "name"; run uv lock to repair it',
      });
    }
    if ("editable" in source || "virtual" in source) {
      roots.required.push(...depRefs(entry["dependencies"]));
      roots.optional.push(...groupRefs(entry["optional-dependencies"]));
      roots.excluded.push(...groupRefs(entry["dev-dependencies"]));
      return;
    }
    const version = entry["version"];
    if (typeof version !== "string" || version === "") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line,
        entry: name,
        why: 'the entry has no "version"; run uv lock to repair it',
      });
    }
    const git = typeof source["git"] === "string" ? source["git"] : undefined;
    const hashes: PackageHash[] = [];
    const files = [
      asRecord(entry["sdist"]),
      ...(Array.isArray(entry["wheels"]) ? entry["wheels"].map(asRecord) : []),
    ];
    for (const f of files) {
      const hash = typeof f?.["hash"] === "string" ? prefixedHash(f["hash"]) : undefined;
      if (hash && !hashes.some((h) => h.content === hash.content)) hashes.push(hash);
    }
    const pkg = pypiPackage({ name, version, git, hashes, scope: "required", source: { file, line } });
    packages.push(pkg);
    const key = normalizePypiName(name);
    byName.set(key, [...(byName.get(key) ?? []), pkg]);
    pending.push({
      pkg,
      deps: [...depRefs(entry["dependencies"]), ...groupRefs(entry["optional-dependencies"])],
    });
  });
  const lookup = (ref: DepRef): string[] =>
    (byName.get(normalizePypiName(ref.name)) ?? [])
      .filter((p) => ref.version === undefined || p.version === ref.version)
      .map((p) => p.purl);
  for (const { pkg, deps } of pending) {
    for (const purl of deps.flatMap(lookup))
      if (purl !== pkg.purl && !pkg.dependsOn.includes(purl)) pkg.dependsOn.push(purl);
  }
  const hasRoot = roots.required.length + roots.optional.length + roots.excluded.length > 0;
  const rootPurls = {
    required: roots.required.flatMap(lookup),
    optional: roots.optional.flatMap(lookup),
    excluded: roots.excluded.flatMap(lookup),
  };
  if (hasRoot) scopeByReach(packages, rootPurls);
  const direct = hasRoot
    ? [...new Set([...rootPurls.required, ...rootPurls.optional, ...rootPurls.excluded])]
    : packages.map((p) => p.purl);
  return { file, kind: "uv", packages, direct };
}
