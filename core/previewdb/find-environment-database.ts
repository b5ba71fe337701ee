import type { PostgresAdmin } from "./postgres-admin.ts";
import { previewNames } from "./preview-names.ts";
import { UnknownEnvironmentError } from "./previewdb-errors.ts";

/**
 * The database of an existing environment, for commands that need one (backup, restore, reset): throws
 * `UnknownEnvironmentError` when the environment has none, before anything is changed.
 */
export async function findEnvironmentDatabase(request: {
  admin: PostgresAdmin;
  repository: string;
  env: string;
}): Promise<{ database: string; role: string }> {
  const { database, role } = previewNames(request);
  const rows = await request.admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (rows.length === 0)
    throw new UnknownEnvironmentError(request.repository, request.env, request.admin.where);
  return { database, role };
}
