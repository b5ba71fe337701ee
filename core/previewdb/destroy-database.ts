import { withAdvisoryLock } from "./advisory-lock.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { previewNames } from "./preview-names.ts";
import { quoteIdent } from "./quote-sql.ts";

export interface DestroyedDatabase {
  database: string;
  role: string;
  droppedDatabase: boolean;
  droppedRole: boolean;
}

/**
 * Removes an environment's database (closing its connections: `WITH (FORCE)`) and then its role. Safe to
 * repeat: what is already gone is reported as not dropped, never as an error.
 */
export async function destroyDatabase(request: {
  admin: PostgresAdmin;
  repository: string;
  env: string;
}): Promise<DestroyedDatabase> {
  const { database, role } = previewNames(request);
  return request.admin.withSession((session) =>
    withAdvisoryLock(session, database, async () => {
      const db = await session.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (db.length > 0) await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
      const found = await session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
      if (found.length > 0) await session.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
      return { database, role, droppedDatabase: db.length > 0, droppedRole: found.length > 0 };
    }),
  );
}
