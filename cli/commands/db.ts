import { stopLocalPostgres } from "../../core/previewdb/local-postgres.ts";
import type { Command } from "../command.ts";
import type { CliContext } from "../context.ts";
import { dbBackup } from "../db/db-backup.ts";
import { dbCreate } from "../db/db-create.ts";
import { dbDestroy } from "../db/db-destroy.ts";
import { dbList } from "../db/db-list.ts";
import { DB_OPTIONS, SUBCOMMAND_FLAGS, parseDbOptions, type DbValues } from "../db/db-options.ts";
import { dbRestore } from "../db/db-restore.ts";
import { localPostgresDir, openDbServer } from "../db/open-db-server.ts";
import { envArgument, repositoryOf } from "../db/repository-of.ts";
import { UsageError } from "../usage-error.ts";

export const dbCommand: Command = {
  name: "db",
  options: DB_OPTIONS,
  summary: "preview databases: list, create, reset, destroy, back up and restore",
  help: `Usage: aether db <list|create|reset|destroy|backup|restore|stop> [ENV] [options]

Manages the PostgreSQL database and role of each environment of a repository on an administered server:
--server, else $AETHER_DB_ADMIN_URL, else the local default, a server in .aether/postgres started on
first use and left running (so the DATABASE_URLs it hands out keep working; "aether db stop" stops it).

  list                      the repository's databases: role, size, created, expiry, template; warns
                            about other databases every role may connect to
  create ENV                a database and role for ENV, cloned from the template (idempotent: an
                            existing database keeps its data); the role gets a new password
  reset ENV                 drop ENV's database and clone it again from the template
  destroy ENV               drop ENV's database (closing its sessions) and role; safe to repeat
  backup ENV                pg_dump ENV's database into the artifact store, indexed there
  restore ENV --from B      restore backup B into a new database, switched in only if that worked
  stop                      stop the local default server (no effect with --server)

Options:
  --server URL          admin connection, postgres://admin@host:5432/postgres (password: in the URL,
                        or better $PGPASSWORD) (default: $AETHER_DB_ADMIN_URL, else the local server)
  --repository O/N      whose environments (default: $GITHUB_REPOSITORY, else local/<folder name>)
  --print-url           create, reset: print the DATABASE_URL, alone, to standard output
  --ttl DURATION        create, reset: time to live before the sweeper may remove it (default: 7d)
  --migrations DIR      create, reset: template from these .sql files in name order
                        (default: previews.database.migrations of .github/aether.yml)
  --seed FILE           create, reset: and this .sql file after them (default: previews.database.seed)
  --schema-from DB      create, reset: template from the schema (no rows) of database DB on the same
                        server, instead of migrations (default: previews.database.schemaFrom)
  --store URL           backup, restore: artifact store (default: $AETHER_STORE, else .aether/store)
  --retain N            backup: then keep only the newest N backups of ENV, deleting older dumps
  --from BACKUP         restore: a backup id from "aether db backup", latest, or a sha256 digest
  --json                print the result as JSON
  -h, --help            this help

pg_dump and pg_restore must be of the server's major version or newer: $AETHER_PG_BIN, else the
newest found in the server's own binaries, /usr/lib/postgresql/N/bin and PATH. For the local server,
AETHER_PG_BIN (a folder with initdb, pg_ctl and postgres) also picks its binaries when it is first made.

Examples:
  aether db create pr-42 --print-url
  export DATABASE_URL=$(aether db create pr-42 --migrations db/migrations --print-url)
  aether db list --server postgres://aether_admin@db.internal/postgres
  aether db backup production --store s3://acme-backups/aether --retain 14
  aether db restore production --from latest
  aether db destroy pr-42`,
  async run(argv, ctx) {
    const { values, positionals } = parseDbOptions(argv);
    const [subcommand, envName, ...extra] = positionals;
    const flags = subcommand === undefined ? undefined : SUBCOMMAND_FLAGS[subcommand];
    if (subcommand === undefined || flags === undefined)
      throw new UsageError(
        `aether db: ${subcommand === undefined ? "name a subcommand" : `unknown subcommand "${subcommand}"`}: ` +
          `list, create, reset, destroy, backup, restore or stop`,
      );
    const takesEnv = !["list", "stop"].includes(subcommand);
    if (extra.length > 0 || (!takesEnv && envName !== undefined))
      throw new UsageError(
        `aether db ${subcommand}: unexpected "${[...(takesEnv ? [] : [envName]), ...extra].join(" ")}"`,
      );
    for (const flag of Object.keys(values)) {
      if (["server", "repository", "json", "help"].includes(flag)) continue;
      if (!flags.some((f) => f === flag))
        throw new UsageError(`aether db ${subcommand}: --${flag} does not apply here`);
    }
    if (subcommand === "stop") return stop(ctx, values);
    const env = takesEnv ? envArgument(subcommand, envName) : "";
    const repository = repositoryOf(ctx, values.repository);
    const server = await openDbServer(ctx, values.server);
    try {
      const common = { server, repository, env, values };
      switch (subcommand) {
        case "list":
          return await dbList(ctx, { server, repository, json: values.json === true });
        case "create":
        case "reset":
          return await dbCreate(ctx, { ...common, reset: subcommand === "reset" });
        case "destroy":
          return await dbDestroy(ctx, { server, repository, env, json: values.json === true });
        case "backup":
          return await dbBackup(ctx, common);
        default:
          return await dbRestore(ctx, common);
      }
    } finally {
      await server.admin.close();
    }
  },
};

async function stop(ctx: CliContext, values: DbValues): Promise<number> {
  const { wasRunning } = await stopLocalPostgres({ dir: localPostgresDir(ctx) });
  if (values.json) ctx.stdout.write(JSON.stringify({ stopped: wasRunning }) + "\n");
  else
    ctx.stdout.write(
      wasRunning ? "Stopped the local PostgreSQL server.\n" : "The local PostgreSQL server is not running.\n",
    );
  return 0;
}
