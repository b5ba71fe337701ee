import { prefixedHash } from "./integrity-hashes.ts";
import { LockfileError } from "./lockfile-error.ts";
import { asRecord } from "./npm-entry.ts";
import { normalizePypiName } from "./package-url.ts";
import type { LockedPackage, PackageHash, ParsedLockfile } from "./sbom-model.ts";
import { packageHeaderLines, parseTomlLockfile } from "./toml-lockfile.ts";
import { pypiPackage } from "./pypi-package.ts";

/**
 * Reads poetry.lock (lock-version 1.x and 2.x). Poetry before 1.5 records `category = "dev"`, read as
 * `excluded`; later versions record no groups, so their packages are `required` unless `optional`.
 */
export async function parsePoetryLock(text: string, file: string): Promise<ParsedLockfile> {
  const data = await parseTomlLockfile(text, file);
  const lockVersion = String(asRecord(data["metadata"])?.["lock-version"] ?? "1.0");
  if (!/^[12]\./.test(lockVersion)) {
    throw new LockfileError({
      kind: "unsupported-version",
      file,
      line: text.split("\n").findIndex((l) => l.startsWith("lock-version")) + 1,
      why: `lock-version ${lockVersion} is not one Aether reads (1.x or 2.x); regenerate it with poetry lock`,
    });
  }
  const headers = packageHeaderLines(text);
  const entries = Array.isArray(data["package"]) ? data["package"] : [];
  const packages: LockedPackage[] = [];
  const byName = new Map<string, LockedPackage>();
  const pending: Array<{ pkg: LockedPackage; deps: string[] }> = [];
  entries.forEach((raw: unknown, index) => {
    const entry = asRecord(raw) ?? {};
    const line = headers[index] ?? 0;
    const name = entry["name"];
    const version = entry["version"];
    if (typeof name !== "string" || typeof version !== "string" || version === "") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line,
        entry: typeof name === "string" ? name : `package #${index + 1}`,
        why: 'the entry needs "name" and "version"; run poetry lock to repair it',
      });
    }
    const source = asRecord(entry["source"]) ?? {};
    const git =
      source["type"] === "git"
        ? `${String(source["url"])}@${String(source["resolved_reference"] ?? source["reference"])}`
        : undefined;
    const hashes: PackageHash[] = [];
    for (const f of Array.isArray(entry["files"]) ? entry["files"] : []) {
      const value = asRecord(f)?.["hash"];
      const hash = typeof value === "string" ? prefixedHash(value) : undefined;
      if (hash) hashes.push(hash);
    }
    const pkg = pypiPackage({
      name,
      version,
      git,
      hashes,
      scope: entry["category"] === "dev" ? "excluded" : entry["optional"] === true ? "optional" : "required",
      source: { file, line },
    });
    packages.push(pkg);
    byName.set(normalizePypiName(name), pkg);
    pending.push({ pkg, deps: Object.keys(asRecord(entry["dependencies"]) ?? {}) });
  });
  for (const { pkg, deps } of pending) {
    for (const dep of deps) {
      const target = byName.get(normalizePypiName(dep));
      if (target && target !== pkg && !pkg.dependsOn.includes(target.purl)) pkg.dependsOn.push(target.purl);
    }
  }
  // poetry.lock does not say which packages the project asks for: the ones nothing else needs are roots.
  const depended = new Set(packages.flatMap((p) => p.dependsOn));
  return {
    file,
    kind: "poetry",
    packages,
    direct: packages.filter((p) => !depended.has(p.purl)).map((p) => p.purl),
  };
}
