/**
 * What Aether writes into `COMMENT ON DATABASE` / `COMMENT ON ROLE`: the sweeper and `listDatabases` act only
 * on objects whose comment parses as this, so databases Aether did not create are never touched.
 */
export interface PreviewLabel {
  aether: 1;
  kind: "preview" | "template" | "previous";
  repository: string;
  /** Environment name (`pr-123`); empty for templates. */
  env: string;
  /** ISO time after which the sweeper may remove it; null for templates. */
  expiresAt: string | null;
  /** The template the database was cloned from, or the input hash for a template. */
  template: string | null;
  /** When the environment's database was first created (ISO); absent on labels written before it was kept. */
  createdAt?: string;
}

/** The comment text for a label (JSON, stable key order). */
export function encodeLabel(label: PreviewLabel): string {
  return JSON.stringify({
    aether: 1,
    kind: label.kind,
    repository: label.repository,
    env: label.env,
    expiresAt: label.expiresAt,
    template: label.template,
    ...(label.createdAt === undefined ? {} : { createdAt: label.createdAt }),
  });
}

/** Parses a comment; anything that is not exactly an Aether label (other tools' comments, null) is undefined. */
export function parseLabel(comment: string | null | undefined): PreviewLabel | undefined {
  if (!comment || !comment.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(comment);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record: Record<string, unknown> = { ...value };
  const { aether, kind, repository, env, expiresAt, template, createdAt } = record;
  if (aether !== 1) return undefined;
  if (kind !== "preview" && kind !== "template" && kind !== "previous") return undefined;
  if (typeof repository !== "string" || typeof env !== "string") return undefined;
  if (expiresAt !== null && (typeof expiresAt !== "string" || Number.isNaN(Date.parse(expiresAt))))
    return undefined;
  if (template !== null && typeof template !== "string") return undefined;
  const label: PreviewLabel = { aether, kind, repository, env, expiresAt, template };
  if (typeof createdAt === "string" && !Number.isNaN(Date.parse(createdAt))) label.createdAt = createdAt;
  return label;
}
