import { integrityHashes } from "./integrity-hashes.ts";
import { LockfileError } from "./lockfile-error.ts";
import { mergePackage } from "./merge-package.ts";
import { isGitUrl, splitSpec } from "./npm-spec.ts";
import { npmPurl } from "./package-url.ts";
import type { LockedPackage, PackageHash, ParsedLockfile } from "./sbom-model.ts";

interface ClassicEntry {
  specs: string[];
  line: number;
  fields: Map<string, string>;
  deps: Array<{ name: string; range: string }>;
}

function unquote(value: string): string {
  const v = value.trim();
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\"/g, '"') : v;
}

/** Splits `key value` (either may be quoted). */
function keyValue(text: string): [string, string] {
  if (text.startsWith('"')) {
    const close = text.indexOf('"', 1);
    return [text.slice(1, close), unquote(text.slice(close + 1))];
  }
  const space = text.indexOf(" ");
  return space === -1 ? [text, ""] : [text.slice(0, space), unquote(text.slice(space + 1))];
}

/** The entries of a yarn v1 lockfile: its own indentation format, read line by line. */
function readEntries(text: string, file: string): ClassicEntry[] {
  const entries: ClassicEntry[] = [];
  let current: ClassicEntry | undefined;
  let section: string | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (indent === 0) {
      if (!body.endsWith(":")) {
        throw new LockfileError({
          kind: "syntax",
          file,
          line: i + 1,
          why: `expected "spec, spec:" but found "${body}"`,
        });
      }
      current = {
        specs: body.slice(0, -1).split(/,\s*/).map(unquote),
        line: i + 1,
        fields: new Map(),
        deps: [],
      };
      entries.push(current);
      section = undefined;
    } else if (!current) {
      throw new LockfileError({
        kind: "syntax",
        file,
        line: i + 1,
        why: "an indented line before any entry",
      });
    } else if (indent <= 2 && body.endsWith(":")) {
      section = body.slice(0, -1);
    } else if (indent <= 2) {
      section = undefined;
      const [key, value] = keyValue(body);
      current.fields.set(key, value);
    } else if (section === "dependencies" || section === "optionalDependencies") {
      const [name, range] = keyValue(body);
      current.deps.push({ name, range });
    }
  }
  return entries;
}

/**
 * Reads a yarn classic (v1) yarn.lock. Yarn classic records no dev/prod split, so every package is
 * `required`; the graph comes from each entry's dependencies.
 */
export function parseYarnClassic(text: string, file: string): ParsedLockfile {
  if (!/^# yarn lockfile v1/m.test(text) && text.trim() !== "") {
    throw new LockfileError({
      kind: "unsupported-version",
      file,
      line: 1,
      why: 'not a yarn lockfile v1 (no "# yarn lockfile v1" header, no __metadata); regenerate it with yarn',
    });
  }
  const entries = readEntries(text, file);
  const bySpec = new Map<string, LockedPackage>();
  const unique = new Map<string, LockedPackage>();
  for (const entry of entries) {
    const version = entry.fields.get("version");
    if (version === undefined || version === "") {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line: entry.line,
        entry: entry.specs.join(", "),
        why: 'the entry has no "version"; run yarn install to repair the lockfile',
      });
    }
    const first = splitSpec(entry.specs[0]!);
    // `alias@npm:real@^1` installs `real` under the alias.
    const name = first.range.startsWith("npm:") ? splitSpec(first.range.slice(4)).name : first.name;
    const resolved = entry.fields.get("resolved") ?? "";
    const git = isGitUrl(resolved);
    let hashes: PackageHash[] = integrityHashes(entry.fields.get("integrity"));
    const sha1 = /#([0-9a-f]{40})$/.exec(resolved);
    if (hashes.length === 0 && sha1 && !git) hashes = [{ alg: "SHA-1", content: sha1[1]! }];
    const pkg: LockedPackage = {
      ecosystem: "npm",
      name,
      version,
      purl: npmPurl(name, version, git ? { vcs_url: resolved } : undefined),
      hashes,
      licenses: [],
      scope: "required",
      dependsOn: [],
      source: { file, line: entry.line },
    };
    if (git) pkg.vcsUrl = resolved;
    const kept = mergePackage(unique, pkg);
    for (const spec of entry.specs) bySpec.set(spec, kept);
  }
  for (const entry of entries) {
    const pkg = bySpec.get(entry.specs[0]!)!;
    for (const dep of entry.deps) {
      const target = bySpec.get(`${dep.name}@${dep.range}`);
      if (target && !pkg.dependsOn.includes(target.purl)) pkg.dependsOn.push(target.purl);
    }
  }
  // Classic lockfiles do not mark the project's own dependencies: packages nothing depends on are the roots.
  const depended = new Set([...unique.values()].flatMap((p) => p.dependsOn));
  const direct = [...unique.values()].filter((p) => !depended.has(p.purl)).map((p) => p.purl);
  return { file, kind: "yarn-classic", packages: [...unique.values()], direct };
}
