import { checkAdminPrivileges } from "../../core/previewdb/check-admin-privileges.ts";
import { destroyDatabase } from "../../core/previewdb/destroy-database.ts";
import type { CliContext } from "../context.ts";
import { knownEnvironments } from "./db-list.ts";
import type { DbServer } from "./open-db-server.ts";

/** `destroy ENV`: drops database (closing its sessions) and role; safe to repeat. */
export async function dbDestroy(
  ctx: CliContext,
  request: { server: DbServer; repository: string; env: string; json: boolean },
): Promise<number> {
  const { server, repository, env } = request;
  await checkAdminPrivileges(server.admin, ["CREATEROLE"], "drop a preview role");
  const result = await destroyDatabase({ admin: server.admin, repository, env });
  if (request.json) {
    ctx.stdout.write(JSON.stringify({ env, ...result }) + "\n");
  } else if (result.droppedDatabase || result.droppedRole) {
    ctx.stdout.write(
      `${ctx.style.ok("✔")} Destroyed ${env}: dropped ${result.droppedDatabase ? "database and " : ""}role ${result.role}.\n`,
    );
  } else {
    const known = await knownEnvironments(server, repository);
    ctx.stdout.write(
      `Nothing to destroy: ${env} of ${repository} has no database on ${server.admin.where}` +
        `${known.length > 0 ? ` (known: ${known.join(", ")})` : ""}.\n`,
    );
  }
  return 0;
}
