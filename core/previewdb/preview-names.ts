import { createHash } from "node:crypto";

/** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server, so we never send one. */
export const MAX_IDENTIFIER_BYTES = 63;

export interface PreviewNames {
  /** Database name, also the role name (roles and databases live in separate namespaces). */
  database: string;
  role: string;
  /** Redis key prefix for the environment: `aether:<repo>:<env>:`. */
  keyPrefix: string;
}

/**
 * The names of one environment's database and role: `aether_<repo>_<env>_<hash>`, lowercase letters, digits
 * and underscores, at most 63 bytes. The slug is for people reading `\l`; the 10-hex hash of the exact
 * (repository, env) pair is what makes names unique, since slugging is lossy ("a-b" and "a.b" slug alike).
 * @example previewNames({ repository: "octo/shop", env: "pr-123" }).database // "aether_octo_shop_pr_123_1f0c…"
 */
export function previewNames(input: { repository: string; env: string }): PreviewNames {
  const hash = shortHash(`${input.repository}\n${input.env}`, 10);
  const name = boundedName(["aether", slug(input.repository), slug(input.env)], hash);
  return { database: name, role: name, keyPrefix: `aether:${input.repository}:${input.env}:` };
}

/** The name of a repository's template built from inputs hashing to `inputHash` (hex). */
export function templateName(input: { repository: string; inputHash: string }): string {
  return boundedName(["aether_tpl", slug(input.repository)], input.inputHash.slice(0, 16));
}

/** The NOLOGIN role that owns the objects inside templates, reassigned to each preview's role on cloning. */
export const TEMPLATE_OWNER_ROLE = "aether_template_owner";

function boundedName(parts: string[], hash: string): string {
  const room = MAX_IDENTIFIER_BYTES - hash.length - 1;
  const head = parts.join("_").replace(/_+/g, "_").slice(0, room).replace(/_+$/, "");
  return `${head}_${hash}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
