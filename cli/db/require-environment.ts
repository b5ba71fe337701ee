import { findEnvironmentDatabase } from "../../core/previewdb/find-environment-database.ts";
import { UnknownEnvironmentError } from "../../core/previewdb/previewdb-errors.ts";
import { knownEnvironments } from "./db-list.ts";
import type { DbServer } from "./open-db-server.ts";

/** The environment's database and role; for one that has none, the error lists those that do. */
export async function requireEnvironment(
  server: DbServer,
  repository: string,
  env: string,
): Promise<{ database: string; role: string }> {
  try {
    return await findEnvironmentDatabase({ admin: server.admin, repository, env });
  } catch (error) {
    if (!(error instanceof UnknownEnvironmentError)) throw error;
    const known = await knownEnvironments(server, repository);
    error.message += known.length === 0 ? " It has none yet." : ` Known environments: ${known.join(", ")}.`;
    throw error;
  }
}
