import { prefixedHash } from "./integrity-hashes.ts";
import { LockfileError } from "./lockfile-error.ts";
import type { LockedPackage, PackageHash, ParsedLockfile } from "./sbom-model.ts";
import { pypiPackage } from "./pypi-package.ts";

const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;]+)/;

/**
 * Reads a pinned requirements.txt (as pip-compile writes it): `name[extras]==version` with optional
 * markers and `--hash=sha256:…` options, backslash continuations and comments. Options lines
 * (`-r`, `--index-url`, `-e` …) are skipped; an unpinned requirement is an error, because an SBOM must
 * name exact versions. The file names no dependency edges: every package is a direct one.
 */
export function parseRequirements(text: string, file: string): ParsedLockfile {
  const packages: LockedPackage[] = [];
  const rawLines = text.split("\n");
  for (let i = 0; i < rawLines.length; i++) {
    const startLine = i + 1;
    let logical = rawLines[i]!.replace(/\r$/, "");
    while (logical.trimEnd().endsWith("\\") && i + 1 < rawLines.length) {
      logical = `${logical.trimEnd().slice(0, -1)} ${rawLines[++i]!.replace(/\r$/, "")}`;
    }
    const content = logical.replace(/(^|\s)#.*$/, "").trim();
    if (content === "" || content.startsWith("-")) continue;
    const match = PINNED.exec(content);
    if (!match) {
      throw new LockfileError({
        kind: "invalid-entry",
        file,
        line: startLine,
        entry: content.split(/\s/)[0]!,
        why: "the requirement is not pinned with ==; pin every package (pip-compile or pip freeze) so the SBOM names exact versions",
      });
    }
    const name = match[1]!;
    const version = match[3]!;
    const hashes: PackageHash[] = [];
    for (const h of content.matchAll(/--hash[=\s]+(\S+)/g)) {
      const hash = prefixedHash(h[1]!);
      if (hash) hashes.push(hash);
    }
    packages.push(
      pypiPackage({ name, version, hashes, scope: "required", source: { file, line: startLine } }),
    );
  }
  return { file, kind: "requirements", packages, direct: packages.map((p) => p.purl) };
}
