import type { PostgresAdmin } from "./postgres-admin.ts";
import { AdminPermissionError } from "./previewdb-errors.ts";

export type AdminPrivilege = "CREATEDB" | "CREATEROLE";

/**
 * Checks, before anything is changed, that the admin role has what an operation needs (a superuser has all),
 * and throws `AdminPermissionError` naming the role and each privilege it lacks.
 * @example await checkAdminPrivileges(admin, ["CREATEDB", "CREATEROLE"], "create a preview database")
 */
export async function checkAdminPrivileges(
  admin: PostgresAdmin,
  needed: readonly AdminPrivilege[],
  purpose: string,
): Promise<void> {
  const rows = await admin.query(
    "SELECT current_user AS name, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user",
  );
  const row = rows[0];
  if (row === undefined || row["rolsuper"] === true) return;
  const has: Record<AdminPrivilege, boolean> = {
    CREATEDB: row["rolcreatedb"] === true,
    CREATEROLE: row["rolcreaterole"] === true,
  };
  const missing = needed.filter((privilege) => !has[privilege]);
  if (missing.length === 0) return;
  throw new AdminPermissionError(
    admin.where,
    `role "${String(row["name"])}" lacks ${missing.join(" and ")}, needed to ${purpose}; ` +
      `grant it with ALTER ROLE "${String(row["name"])}" ${missing.join(" ")}`,
  );
}
