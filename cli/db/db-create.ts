import { parseDuration } from "../../core/config/parse-duration.ts";
import { formatDuration } from "../../core/pipeline/format.ts";
import { checkAdminPrivileges } from "../../core/previewdb/check-admin-privileges.ts";
import { parseLabel } from "../../core/previewdb/database-label.ts";
import { ensureTemplate } from "../../core/previewdb/ensure-template.ts";
import { provisionDatabase, type ProvisionedDatabase } from "../../core/previewdb/provision-database.ts";
import { schemaSnapshotSource } from "../../core/previewdb/schema-snapshot.ts";
import type { CliContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";
import type { DbValues } from "./db-options.ts";
import type { DbServer } from "./open-db-server.ts";
import { pgToolsFor } from "./pg-tools-for.ts";
import { requireEnvironment } from "./require-environment.ts";
import { templateSourceFor } from "./template-source-for.ts";

const DEFAULT_TTL = "7d";

/**
 * `create ENV` (idempotent: an existing database keeps its data) and `reset ENV` (drop and clone again).
 * Either way the role gets a new password; the DATABASE_URL goes to stdout only with --print-url.
 */
export async function dbCreate(
  ctx: CliContext,
  request: { server: DbServer; repository: string; env: string; values: DbValues; reset: boolean },
): Promise<number> {
  const { server, repository, env, values } = request;
  const verb = request.reset ? "reset" : "create";
  const ttlMs = parseDuration(values.ttl ?? DEFAULT_TTL);
  if (ttlMs === undefined || ttlMs === 0)
    throw new UsageError(`aether db ${verb}: --ttl "${values.ttl}" is not a duration such as 12h, 7d or 2w`);
  const { admin } = server;
  const existing = request.reset ? await requireEnvironment(server, repository, env) : undefined;
  await checkAdminPrivileges(admin, ["CREATEDB", "CREATEROLE"], `${verb} a preview database`);
  const choice = await templateSourceFor(ctx, {
    migrations: values.migrations,
    seed: values.seed,
    schemaFrom: values["schema-from"],
  });
  const source =
    choice !== undefined && "schemaFrom" in choice
      ? await schemaSnapshotSource({
          admin,
          database: choice.schemaFrom,
          binDir: (await pgToolsFor(ctx, server)).binDir,
        })
      : choice;
  let template: string | undefined;
  if (source !== undefined) template = (await ensureTemplate({ admin, repository, source })).template;
  else if (existing !== undefined) template = await currentTemplate(server, existing.database);
  const provisioned = await provisionDatabase({
    admin,
    repository,
    env,
    ttlMs,
    reset: request.reset,
    ...(template === undefined ? {} : { template }),
  });
  ctx.addSecrets([decodeURIComponent(new URL(provisioned.databaseUrl).password)]);
  report(ctx, { provisioned, env, template, values, verb });
  return 0;
}

/** The template the database was cloned from, when that template still exists. */
async function currentTemplate(server: DbServer, database: string): Promise<string | undefined> {
  const rows = await server.admin.query(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [database],
  );
  const comment = rows[0]?.["comment"];
  const template = parseLabel(typeof comment === "string" ? comment : null)?.template ?? null;
  if (template === null) return undefined;
  const found = await server.admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
  return found.length > 0 ? template : undefined;
}

function report(
  ctx: CliContext,
  request: {
    provisioned: ProvisionedDatabase;
    env: string;
    template: string | undefined;
    values: DbValues;
    verb: string;
  },
): void {
  const { provisioned: p, env, template, values } = request;
  const printUrl = values["print-url"] === true;
  const summary = {
    env,
    database: p.database,
    role: p.role,
    created: p.created,
    reset: p.reset,
    template: template ?? null,
    expiresAt: p.expiresAt,
    ms: Math.round(p.ms),
  };
  if (values.json) {
    const text = JSON.stringify(printUrl ? { ...summary, databaseUrl: p.databaseUrl } : summary) + "\n";
    // The URL is the one thing asked for here, so this line alone skips redaction (see printSecret).
    if (printUrl) printSecret(text);
    else ctx.stdout.write(text);
    return;
  }
  const what = p.reset ? "Reset" : p.created ? "Created" : "Kept (data unchanged)";
  const line =
    `${ctx.style.ok("✔")} ${what} database ${p.database} for ${env} (role ${p.role}` +
    `${template ? `, from ${template}` : ""}) in ${formatDuration(p.ms)}; expires ${p.expiresAt}.\n` +
    `  The role has a new password: ` +
    (printUrl
      ? "the DATABASE_URL is on standard output.\n"
      : `add --print-url to print its DATABASE_URL to standard output.\n`);
  if (printUrl) {
    ctx.stderr.write(line);
    printSecret(`${p.databaseUrl}\n`);
  } else {
    ctx.stdout.write(line);
  }
}

/**
 * Writes to the process's stdout directly, past the CLI's redaction: only for the DATABASE_URL that
 * --print-url asks for, so `export DATABASE_URL=$(aether db create pr-1 --print-url)` works.
 */
function printSecret(text: string): void {
  process.stdout.write(text);
}
