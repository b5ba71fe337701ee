import { LockfileError } from "./lockfile-error.ts";
import { mergePackage } from "./merge-package.ts";
import { asRecord } from "./npm-entry.ts";
import { isGitUrl, splitSpec } from "./npm-spec.ts";
import { npmPurl } from "./package-url.ts";
import type { LockedPackage, ParsedLockfile } from "./sbom-model.ts";
import { parseYamlLockfile } from "./yaml-lockfile.ts";

/** Dependency ranges without a protocol mean the npm registry (berry writes `npm:` since v6 metadata). */
function descriptor(name: string, range: string): string {
  return /^[a-z]+:/.test(range) ? `${name}@${range}` : `${name}@npm:${range}`;
}

/**
 * Reads a yarn berry (v2+) yarn.lock, which is YAML. Workspaces (`@workspace:`) are the project itself:
 * their dependencies become the direct ones. Berry's `checksum` hashes yarn's zip archive, not the
 * published tarball, so it is not reported as a package hash.
 */
export async function parseYarnBerry(text: string, file: string): Promise<ParsedLockfile> {
  const { data, lines } = await parseYamlLockfile(text, file);
  const bySpec = new Map<string, LockedPackage>();
  const unique = new Map<string, LockedPackage>();
  const workspaceDeps: string[] = [];
  const edges: Array<{ pkg: LockedPackage; deps: string[] }> = [];
  for (const key of Object.keys(data)) {
    if (key === "__metadata") continue;
    const entry = asRecord(data[key]) ?? {};
    const line = lines.get(key) ?? 0;
    const resolution = entry["resolution"];
    const version = entry["version"];
    if (typeof resolution !== "string" || typeof version !== "string" || version === "") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line,
        entry: key,
        why: 'the entry needs "version" and "resolution"; run yarn install to repair the lockfile',
      });
    }
    const deps = Object.entries(asRecord(entry["dependencies"]) ?? {}).map(([n, r]) =>
      descriptor(n, String(r)),
    );
    if (resolution.includes("@workspace:")) {
      workspaceDeps.push(...deps);
      continue;
    }
    const { name, range: ref } = splitSpec(resolution);
    const vcs = isGitUrl(ref) || ref.includes("#commit=") || ref.startsWith("git@") ? ref : undefined;
    const pkg: LockedPackage = {
      ecosystem: "npm",
      name,
      version,
      purl: npmPurl(name, version, vcs !== undefined ? { vcs_url: vcs } : undefined),
      hashes: [],
      licenses: [],
      scope: "required",
      dependsOn: [],
      source: { file, line },
    };
    if (vcs !== undefined) pkg.vcsUrl = vcs;
    const kept = mergePackage(unique, pkg);
    for (const spec of key.split(/,\s*/)) bySpec.set(spec, kept);
    edges.push({ pkg: kept, deps });
  }
  for (const { pkg, deps } of edges) {
    for (const dep of deps) {
      const target = bySpec.get(dep);
      if (target && target !== pkg && !pkg.dependsOn.includes(target.purl)) pkg.dependsOn.push(target.purl);
    }
  }
  const direct = [...new Set(workspaceDeps.flatMap((d) => bySpec.get(d)?.purl ?? []))];
  return { file, kind: "yarn-berry", packages: [...unique.values()], direct };
}
