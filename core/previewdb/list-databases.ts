import { parseLabel, type PreviewLabel } from "./database-label.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";

export interface ListedDatabase {
  database: string;
  label: PreviewLabel;
  sizeBytes: number;
  /** Its time to live has passed at `now` (never for templates). */
  expired: boolean;
}

/** Aether's databases on the server (previews, templates, kept previous copies), with labels and sizes. */
export async function listDatabases(request: {
  admin: PostgresAdmin;
  now?: () => Date;
}): Promise<ListedDatabase[]> {
  const now = (request.now ?? (() => new Date()))().getTime();
  const rows = await request.admin.query(
    "SELECT datname, shobj_description(oid, 'pg_database') AS comment, pg_database_size(oid)::text AS size " +
      "FROM pg_database ORDER BY datname",
  );
  return rows.flatMap((row) => {
    const label = parseLabel(typeof row["comment"] === "string" ? row["comment"] : null);
    if (!label) return [];
    const expired = label.expiresAt !== null && Date.parse(label.expiresAt) <= now;
    return [{ database: String(row["datname"]), label, sizeBytes: Number(row["size"]), expired }];
  });
}

/** Aether-labelled roles, for the sweeper to find roles whose database never got created. */
export async function listLabelledRoles(
  admin: PostgresAdmin,
): Promise<Array<{ role: string; label: PreviewLabel }>> {
  const rows = await admin.query(
    "SELECT rolname, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles",
  );
  return rows.flatMap((row) => {
    const label = parseLabel(typeof row["comment"] === "string" ? row["comment"] : null);
    return label ? [{ role: String(row["rolname"]), label }] : [];
  });
}

/**
 * Databases other than Aether's that any role may connect to (PostgreSQL grants CONNECT to PUBLIC by
 * default): a preview's role can open a session there, though it reads nothing it was not granted. The
 * operator closes them with `REVOKE CONNECT ON DATABASE … FROM PUBLIC` (docs/preview-databases.md).
 */
export async function findOpenDatabases(admin: PostgresAdmin): Promise<string[]> {
  const rows = await admin.query(
    "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database " +
      "WHERE datallowconn AND has_database_privilege('public', oid, 'CONNECT') ORDER BY datname",
  );
  return rows
    .filter((row) => parseLabel(typeof row["comment"] === "string" ? row["comment"] : null) === undefined)
    .map((row) => String(row["datname"]));
}
