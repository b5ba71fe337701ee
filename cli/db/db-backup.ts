import { tmpdir } from "node:os";
import { formatBytes, formatDuration } from "../../core/pipeline/format.ts";
import { pruneBackups } from "../../core/previewdb/backup-catalog.ts";
import { backupDatabase } from "../../core/previewdb/backup-database.ts";
import type { CliContext } from "../context.ts";
import { intOption } from "../parse-options.ts";
import { openCliStore } from "../pipeline-deps.ts";
import type { DbValues } from "./db-options.ts";
import type { DbServer } from "./open-db-server.ts";
import { pgToolsFor } from "./pg-tools-for.ts";
import { requireEnvironment } from "./require-environment.ts";

/** `backup ENV`: pg_dump -Fc into the store, recorded in the store's backup index; --retain N prunes after. */
export async function dbBackup(
  ctx: CliContext,
  request: { server: DbServer; repository: string; env: string; values: DbValues },
): Promise<number> {
  const { server, repository, env, values } = request;
  const retain = intOption("db backup", "retain", values.retain);
  const { database } = await requireEnvironment(server, repository, env);
  const tools = await pgToolsFor(ctx, server);
  const store = openCliStore(ctx, values.store);
  const started = ctx.clock();
  const record = await backupDatabase({
    admin: server.admin,
    database,
    binDir: tools.binDir,
    store,
    tempDir: tmpdir(),
    now: () => new Date(),
  });
  const pruned =
    retain === undefined
      ? undefined
      : await pruneBackups({ store, database, policy: { keepLast: retain }, now: new Date() });
  if (values.json) {
    ctx.stdout.write(
      JSON.stringify({
        env,
        store: store.url,
        backup: record,
        pgDump: tools,
        ...(pruned ? { removed: pruned.dropped.map((r) => r.id), deletedBlobs: pruned.deletedBlobs } : {}),
      }) + "\n",
    );
    return 0;
  }
  ctx.stdout.write(
    `${ctx.style.ok("✔")} Backed up ${env} (${database}) in ${formatDuration(ctx.clock() - started)}: ` +
      `${formatBytes(record.bytes)} → ${store.url} as ${record.digest}\n` +
      `  Backup ${record.id}\n` +
      (pruned && pruned.dropped.length > 0
        ? `  Removed ${pruned.dropped.length} older backup${pruned.dropped.length === 1 ? "" : "s"} (keeping ${retain}).\n`
        : "") +
      `  Restore it with: ${ctx.invokedAs} db restore ${env} --from ${record.id}\n`,
  );
  return 0;
}
