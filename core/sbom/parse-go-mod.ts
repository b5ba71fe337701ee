import { LockfileError } from "./lockfile-error.ts";
import { golangPurl } from "./package-url.ts";
import type { LockedPackage, ParsedLockfile } from "./sbom-model.ts";

interface Requirement {
  module: string;
  version: string;
  indirect: boolean;
  line: number;
}

/** go.sum's `h1:` checksums by `module@version` (the module zip's, not its go.mod's). */
function readSums(sum: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of sum.split("\n")) {
    const [module, version, hash] = line.trim().split(/\s+/);
    if (module && version && hash && !version.endsWith("/go.mod")) out.set(`${module}@${version}`, hash);
  }
  return out;
}

/**
 * Reads go.mod's `require` directives (Go 1.17+ lists the whole module graph there), applying
 * `replace` directives that point at another module version. The `// indirect` marker separates direct
 * from indirect requirements; go.sum contributes the `h1:` checksum as a property (it is a hash of a file
 * list, not of one file, so it is not a CycloneDX hash).
 */
export function parseGoMod(opts: {
  text: string;
  file: string;
  sum: string;
  sumFile: string;
}): ParsedLockfile {
  const { text, file } = opts;
  const requires: Requirement[] = [];
  const replaces = new Map<string, { module: string; version: string }>();
  let block: string | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (line === "") continue;
    if (block !== undefined) {
      if (line === ")") block = undefined;
      else directive(block, line, indirect, i + 1);
      continue;
    }
    const opening = /^(require|replace|exclude|retract|tool|godebug)\s*\($/.exec(line);
    if (opening) {
      block = opening[1];
      continue;
    }
    const single = /^(require|replace)\s+(.*)$/.exec(line);
    if (single) directive(single[1]!, single[2]!, indirect, i + 1);
  }
  function directive(kind: string, body: string, indirect: boolean, line: number): void {
    if (kind === "require") {
      const [module, version] = body.split(/\s+/);
      if (!module || !version || !version.startsWith("v")) {
        throw new LockfileError({
          kind: "invalid-entry",
          file,
          line,
          entry: body,
          why: "a require needs a module path and a version (vX.Y.Z); run go mod tidy to repair go.mod",
        });
      }
      requires.push({ module, version, indirect, line });
    } else if (kind === "replace") {
      const [from, to] = body.split("=>").map((s) => s.trim().split(/\s+/));
      // A replacement by a local folder keeps the original identity: there is no other version to name.
      if (from?.[0] && to?.[0] && to[1]) replaces.set(from[0], { module: to[0], version: to[1] });
    }
  }
  const sums = readSums(opts.sum);
  const packages: LockedPackage[] = requires.map((r) => {
    const target = replaces.get(r.module) ?? r;
    const pkg: LockedPackage = {
      ecosystem: "golang",
      name: target.module,
      version: target.version,
      purl: golangPurl(target.module, target.version),
      hashes: [],
      licenses: [],
      scope: "required",
      dependsOn: [],
      source: { file, line: r.line },
    };
    const h1 = sums.get(`${target.module}@${target.version}`);
    if (h1 !== undefined) pkg.properties = [{ name: "aether:go:h1", value: h1 }];
    return pkg;
  });
  const direct = packages.filter((_, index) => !requires[index]!.indirect).map((p) => p.purl);
  return { file, kind: "go", packages, direct };
}
