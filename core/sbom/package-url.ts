// Package URLs per https://github.com/package-url/purl-spec: each path segment and the version are
// percent-encoded; qualifiers are sorted by key.

function encodeSegment(value: string): string {
  // Most names and versions need no encoding; this runs several times per package of a lockfile.
  if (/^[a-z0-9._~-]*$/i.test(value)) return value;
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function qualifierString(qualifiers: Record<string, string> | undefined): string {
  if (!qualifiers) return "";
  const keys = Object.keys(qualifiers).sort();
  if (keys.length === 0) return "";
  return `?${keys.map((k) => `${k}=${encodeSegment(qualifiers[k]!)}`).join("&")}`;
}

/** `pkg:npm/%40scope/name@1.0.0`; an empty version (a local folder) leaves `@version` out. */
export function npmPurl(rawName: string, version: string, qualifiers?: Record<string, string>): string {
  // The purl spec lowercases npm names (legacy packages such as JSONStream have capitals).
  const name = rawName.toLowerCase();
  const slash = name.startsWith("@") ? name.indexOf("/") : -1;
  const path =
    slash > 0
      ? `${encodeSegment(name.slice(0, slash))}/${encodeSegment(name.slice(slash + 1))}`
      : encodeSegment(name);
  const at = version === "" ? "" : `@${encodeSegment(version)}`;
  return `pkg:npm/${path}${at}${qualifierString(qualifiers)}`;
}

/** PEP 503 normalisation, which the purl spec asks for pypi names. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** `pkg:pypi/name@1.0.0` with the name normalised. */
export function pypiPurl(name: string, version: string, qualifiers?: Record<string, string>): string {
  return `pkg:pypi/${encodeSegment(normalizePypiName(name))}@${encodeSegment(version)}${qualifierString(qualifiers)}`;
}

/** `pkg:golang/github.com/owner/repo/v2@v2.1.0`. */
export function golangPurl(module: string, version: string): string {
  return `pkg:golang/${module.split("/").map(encodeSegment).join("/")}@${encodeSegment(version)}`;
}

/** The purl without its qualifiers and subpath, for comparisons that ignore them. */
export function purlWithoutQualifiers(purl: string): string {
  const cut = purl.search(/[?#]/);
  return cut === -1 ? purl : purl.slice(0, cut);
}
