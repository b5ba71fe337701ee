import { tmpdir } from "node:os";
import { isDigest } from "../../core/artifact/digest.ts";
import { formatDuration } from "../../core/pipeline/format.ts";
import { listBackups } from "../../core/previewdb/backup-catalog.ts";
import type { BackupRecord } from "../../core/previewdb/backup-index.ts";
import { restoreDatabase } from "../../core/previewdb/restore-database.ts";
import type { ArtifactStore } from "../../core/store/store.ts";
import type { CliContext } from "../context.ts";
import { openCliStore } from "../pipeline-deps.ts";
import { UsageError } from "../usage-error.ts";
import type { DbValues } from "./db-options.ts";
import type { DbServer } from "./open-db-server.ts";
import { pgToolsFor } from "./pg-tools-for.ts";
import { requireEnvironment } from "./require-environment.ts";

/** A backup named on the command line could not be found in the store's index. */
export class UnknownBackupError extends Error {
  constructor(from: string, storeUrl: string, nearby: BackupRecord[]) {
    const listing =
      nearby.length === 0
        ? "it has none for this environment"
        : `this environment's: ${nearby.map((r) => r.id).join(", ")}`;
    super(`no backup "${from}" in the index of ${storeUrl} (${listing}); nothing was changed`);
    this.name = "UnknownBackupError";
  }
}

/** `restore ENV --from BACKUP`: into a new database, switched in only when pg_restore succeeded. */
export async function dbRestore(
  ctx: CliContext,
  request: { server: DbServer; repository: string; env: string; values: DbValues },
): Promise<number> {
  const { server, repository, env, values } = request;
  if (values.from === undefined)
    throw new UsageError(
      "aether db restore: --from BACKUP is required (a backup id from `aether db backup`, a digest, or latest)",
    );
  const { database, role } = await requireEnvironment(server, repository, env);
  const store = openCliStore(ctx, values.store);
  const backup = await findBackup(store, database, values.from);
  const tools = await pgToolsFor(ctx, server);
  const restored = await restoreDatabase({
    admin: server.admin,
    database,
    digest: backup.digest,
    store,
    binDir: tools.binDir,
    tempDir: tmpdir(),
    owner: role,
  });
  if (values.json) {
    ctx.stdout.write(JSON.stringify({ env, database, backup, ms: Math.round(restored.ms) }) + "\n");
  } else {
    ctx.stdout.write(
      `${ctx.style.ok("✔")} Restored ${env} (${database}) from ${backup.id} in ${formatDuration(restored.ms)}; ` +
        `the previous content was replaced.\n`,
    );
  }
  return 0;
}

/**
 * `--from`: a backup id (`<database>@<time>`, of any database: another environment's backup may be restored
 * here), `latest` (this environment's newest), its time alone, or a blob digest.
 */
async function findBackup(store: ArtifactStore, database: string, from: string): Promise<BackupRecord> {
  const own = await listBackups(store, database);
  let found: BackupRecord | undefined;
  if (from === "latest") found = own.at(-1);
  else if (isDigest(from)) found = (await listBackups(store)).find((r) => r.digest === from);
  else if (/^[A-Za-z0-9_.-]+@/.test(from))
    found = (await listBackups(store, from.slice(0, from.indexOf("@")))).find((r) => r.id === from);
  else found = own.find((r) => r.createdAt === from);
  if (found === undefined) throw new UnknownBackupError(from, store.url, own);
  return found;
}
