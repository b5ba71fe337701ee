// The SPDX ids CycloneDX's schema accepts are a long enum; this short list covers what lockfiles
// overwhelmingly record. Anything else is written as a license name (always valid), or as an
// expression when it combines ids, so the SBOM stays schema-valid without loading the SPDX list.
const COMMON_SPDX_IDS = new Set([
  "0BSD",
  "AFL-2.1",
  "AGPL-3.0-only",
  "AGPL-3.0-or-later",
  "Apache-1.1",
  "Apache-2.0",
  "Artistic-2.0",
  "BlueOak-1.0.0",
  "BSD-1-Clause",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "BSL-1.0",
  "CC-BY-3.0",
  "CC-BY-4.0",
  "CC0-1.0",
  "CDDL-1.0",
  "CDDL-1.1",
  "EPL-1.0",
  "EPL-2.0",
  "GPL-2.0-only",
  "GPL-2.0-or-later",
  "GPL-3.0-only",
  "GPL-3.0-or-later",
  "HPND",
  "ISC",
  "LGPL-2.1-only",
  "LGPL-2.1-or-later",
  "LGPL-3.0-only",
  "LGPL-3.0-or-later",
  "MIT",
  "MIT-0",
  "MPL-1.1",
  "MPL-2.0",
  "OFL-1.1",
  "PSF-2.0",
  "Python-2.0",
  "Unicode-3.0",
  "Unicode-DFS-2016",
  "Unlicense",
  "W3C",
  "WTFPL",
  "Zlib",
]);

/** A CycloneDX licence choice entry. */
export type LicenseChoice =
  { license: { id: string } } | { license: { name: string } } | { expression: string };

/** CycloneDX licence entries for the licences a lockfile records. */
export function licenseChoices(licenses: readonly string[]): LicenseChoice[] {
  if (licenses.length === 0) return [];
  const unique = [...new Set(licenses.map((l) => l.trim()).filter((l) => l !== ""))].sort();
  const expression = unique.find((l) => /\s(AND|OR|WITH)\s/.test(l));
  // CycloneDX allows either one expression or a list of licences, not both.
  if (expression !== undefined)
    return [{ expression: unique.length === 1 ? expression : unique.map((l) => `(${l})`).join(" AND ") }];
  return unique.map((l) => {
    const bare = l.replace(/^\((.*)\)$/, "$1");
    return COMMON_SPDX_IDS.has(bare) ? { license: { id: bare } } : { license: { name: l } };
  });
}
