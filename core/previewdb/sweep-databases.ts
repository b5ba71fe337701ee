import { destroyDatabase } from "./destroy-database.ts";
import { listDatabases, listLabelledRoles } from "./list-databases.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { previewNames } from "./preview-names.ts";
import { quoteIdent } from "./quote-sql.ts";

export interface SweptEnvironment {
  repository: string;
  env: string;
  database: string;
  reason: "expired" | "environment-gone";
}

/**
 * Removes preview databases (and their roles) whose time to live has passed or whose environment is gone,
 * judged only by Aether's label comment, so unlabelled databases are never touched. A labelled role left
 * without its database by a crash is dropped once expired. Returns what was removed.
 */
export async function sweepDatabases(request: {
  admin: PostgresAdmin;
  now: () => Date;
  isEnvironmentAlive?: (repository: string, env: string) => Promise<boolean>;
}): Promise<SweptEnvironment[]> {
  const { admin } = request;
  const removed: SweptEnvironment[] = [];
  const databases = await listDatabases({ admin, now: request.now });
  for (const { database, label, expired } of databases) {
    if (label.kind === "template") continue;
    let reason: SweptEnvironment["reason"] | undefined = expired ? "expired" : undefined;
    if (!reason && label.kind === "preview" && request.isEnvironmentAlive) {
      if (!(await request.isEnvironmentAlive(label.repository, label.env))) reason = "environment-gone";
    }
    if (!reason) continue;
    if (label.kind === "preview" && previewNames(label).database === database) {
      await destroyDatabase({ admin, repository: label.repository, env: label.env });
    } else {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    }
    removed.push({ repository: label.repository, env: label.env, database, reason });
  }
  const now = request.now().getTime();
  const present = new Set(databases.map((d) => d.database));
  for (const { role, label } of await listLabelledRoles(admin)) {
    const names = previewNames(label);
    if (label.kind !== "preview" || names.role !== role || present.has(names.database)) continue;
    if (label.expiresAt === null || Date.parse(label.expiresAt) > now) continue;
    const result = await destroyDatabase({ admin, repository: label.repository, env: label.env });
    if (result.droppedRole)
      removed.push({
        repository: label.repository,
        env: label.env,
        database: names.database,
        reason: "expired",
      });
  }
  return removed;
}
