import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where a store URL points. `pathStyle` is undefined unless the URL says `?path-style=true|false`. */
export type StoreLocation =
  | { kind: "folder"; root: string }
  | { kind: "s3"; bucket: string; prefix: string; pathStyle: boolean | undefined };

export const DEFAULT_STORE_FOLDER = ".aether/store";

export const ACCEPTED_STORE_URLS = [
  "Accepted store URLs:",
  "  file:///absolute/path    a local folder",
  "  path/to/folder           a local folder (relative paths from the working directory)",
  "  s3://bucket/prefix       an S3 bucket; endpoint, region and credentials come from the standard",
  "                           AWS_* environment variables (add ?path-style=false for virtual-host",
  "                           addressing on a custom endpoint)",
  `Without a URL the store is the folder ${DEFAULT_STORE_FOLDER}.`,
].join("\n");

/** A store URL that cannot be used; the message names the problem and lists the accepted forms. */
export class StoreUrlError extends Error {
  constructor(url: string, problem: string) {
    super(`store URL "${redactStoreUrl(url)}": ${problem}\n${ACCEPTED_STORE_URLS}`);
    this.name = "StoreUrlError";
  }
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
// S3's rules for new buckets: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with
// a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The URL as it may be shown: whatever sits between `://` and the last `@` (user, password, or a secret
 * that contains a `/`) becomes `***`.
 */
export function redactStoreUrl(url: string): string {
  const start = url.indexOf("://");
  const at = url.lastIndexOf("@");
  return start >= 0 && at > start ? `${url.slice(0, start + 3)}***${url.slice(at)}` : url;
}

/**
 * Reads a store URL (`--store`, an action input, an app setting); undefined or empty means the default
 * folder under `cwd`. Throws `StoreUrlError`.
 * @example parseStoreUrl("s3://builds/aether", "/app") // { kind: "s3", bucket: "builds", prefix: "aether", … }
 */
export function parseStoreUrl(url: string | undefined, cwd: string): StoreLocation {
  if (url === undefined || url === "") return { kind: "folder", root: resolve(cwd, DEFAULT_STORE_FOLDER) };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || WINDOWS_DRIVE.test(url)) return { kind: "folder", root: resolve(cwd, url) };
  // For s3: any @, since a secret key may hold a "/" that would end the authority before the @.
  if ((scheme === "s3" && url.includes("@")) || /^file:\/\/[^/]*@/i.test(url)) {
    throw new StoreUrlError(
      url,
      "it contains credentials (or an @); give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
        "(or an AWS profile) instead, and rotate them if this URL was saved or shared",
    );
  }
  if (scheme === "file") return { kind: "folder", root: parseFileUrl(url) };
  if (scheme === "s3") return parseS3Url(url);
  throw new StoreUrlError(url, `"${scheme}:" is not a store scheme`);
}

function parseFileUrl(url: string): string {
  if (!/^file:\/\/(localhost)?\//i.test(url)) {
    throw new StoreUrlError(
      url,
      "a file: URL must be absolute (file:///path); use a plain path for a relative one",
    );
  }
  const parsed = new URL(url);
  if (parsed.search !== "" || parsed.hash !== "") {
    throw new StoreUrlError(url, "a file: URL takes no ?query or #fragment");
  }
  const root = fileURLToPath(parsed);
  if (!isAbsolute(root)) throw new StoreUrlError(url, "a file: URL must name an absolute folder");
  return root;
}

function parseS3Url(url: string): StoreLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreUrlError(url, "it is not a well-formed URL");
  }
  if (!url.toLowerCase().startsWith("s3://") || parsed.hostname === "") {
    throw new StoreUrlError(url, "the bucket is missing (s3://bucket/prefix)");
  }
  if (parsed.port !== "") {
    throw new StoreUrlError(url, "an s3: URL takes no port; set the endpoint in AWS_ENDPOINT_URL_S3");
  }
  const bucket = parsed.hostname;
  if (!BUCKET.test(bucket)) {
    throw new StoreUrlError(
      url,
      `"${bucket}" is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`,
    );
  }
  if (parsed.hash !== "") throw new StoreUrlError(url, "an s3: URL takes no #fragment");
  let pathStyle: boolean | undefined;
  for (const [name, value] of parsed.searchParams) {
    if (name !== "path-style") {
      throw new StoreUrlError(url, `unknown option "${name}" (the only option is path-style=true|false)`);
    }
    if (value !== "true" && value !== "false") {
      throw new StoreUrlError(url, `path-style must be true or false, not "${value}"`);
    }
    pathStyle = value === "true";
  }
  // The prefix comes from the raw text: URL parsing would quietly resolve "a/../b" (even "%2e%2e") to "b".
  const rest = url.slice("s3://".length);
  const pathStart = rest.search(/[/?#]/);
  const rawPath =
    pathStart >= 0 && rest[pathStart] === "/" ? (rest.slice(pathStart).split(/[?#]/)[0] ?? "") : "";
  return { kind: "s3", bucket, prefix: parsePrefix(url, rawPath), pathStyle };
}

function parsePrefix(url: string, rawPath: string): string {
  const trimmed = rawPath.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  const segments = trimmed.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new StoreUrlError(url, `the prefix segment "${segment}" is not valid percent-encoding`);
    }
  });
  if (
    segments.some((segment) => segment === "" || segment === "." || segment === ".." || segment.includes("/"))
  ) {
    throw new StoreUrlError(url, "the prefix must not contain empty, '.' or '..' segments");
  }
  return segments.join("/");
}
