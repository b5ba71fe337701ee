import { formatBytes } from "../../core/pipeline/format.ts";
import { findOpenDatabases, listDatabases, listLabelledRoles } from "../../core/previewdb/list-databases.ts";
import type { CliContext } from "../context.ts";
import { renderTable } from "../present/table.ts";
import type { DbServer } from "./open-db-server.ts";

/** One row of `aether db list`. */
export interface ListedEnvironment {
  env: string;
  kind: "preview" | "template" | "previous";
  database: string;
  /** The role when it exists (templates and kept copies have none). */
  role: string | null;
  sizeBytes: number;
  createdAt: string | null;
  expiresAt: string | null;
  expired: boolean;
  template: string | null;
}

/** The repository's databases on the server, and the other databases any role may still connect to. */
export async function listEnvironments(
  server: DbServer,
  repository: string,
): Promise<{ environments: ListedEnvironment[]; openDatabases: string[] }> {
  const { admin } = server;
  const roles = new Set((await listLabelledRoles(admin)).map((r) => r.role));
  const environments = (await listDatabases({ admin }))
    .filter((d) => d.label.repository === repository)
    .map((d) => ({
      env: d.label.env,
      kind: d.label.kind,
      database: d.database,
      role: d.label.kind === "preview" && roles.has(d.database) ? d.database : null,
      sizeBytes: d.sizeBytes,
      createdAt: d.label.createdAt ?? null,
      expiresAt: d.label.expiresAt,
      expired: d.expired,
      template: d.label.template,
    }))
    .sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) || a.env.localeCompare(b.env) || a.database.localeCompare(b.database),
    );
  return { environments, openDatabases: await findOpenDatabases(admin) };
}

export async function dbList(
  ctx: CliContext,
  request: { server: DbServer; repository: string; json: boolean },
) {
  const { server, repository } = request;
  const { environments, openDatabases } = await listEnvironments(server, repository);
  if (request.json) {
    ctx.stdout.write(
      JSON.stringify({ repository, server: server.admin.where, environments, openDatabases }) + "\n",
    );
  } else if (environments.length === 0) {
    ctx.stdout.write(
      `No databases for ${repository} on ${server.admin.where}. Create one: ${ctx.invokedAs} db create pr-1\n`,
    );
  } else {
    ctx.stdout.write(`Databases of ${repository} on ${server.admin.where}:\n\n`);
    const rows = environments.map((e) => [
      e.kind === "preview" ? e.env : `(${e.kind}) ${e.env}`,
      e.database,
      e.role ?? "-",
      formatBytes(e.sizeBytes),
      e.createdAt?.slice(0, 16).replace("T", " ") ?? "-",
      e.expiresAt === null
        ? "never"
        : `${e.expiresAt.slice(0, 16).replace("T", " ")}${e.expired ? " (expired)" : ""}`,
      e.template ?? "-",
    ]);
    ctx.stdout.write(
      renderTable(["ENV", "DATABASE", "ROLE", "SIZE", "CREATED (UTC)", "EXPIRES (UTC)", "TEMPLATE"], rows),
    );
  }
  if (openDatabases.length > 0) {
    ctx.stderr.write(
      `${ctx.style.warn("warning:")} every role, preview roles included, may connect to these databases on ` +
        `${server.admin.where}: ${openDatabases.join(", ")}. Close each with ` +
        `REVOKE CONNECT ON DATABASE <name> FROM PUBLIC (docs/preview-databases.md, "Security model").\n`,
    );
  }
  return 0;
}

/** The environments of the repository that have a database, for "unknown environment" messages. */
export async function knownEnvironments(server: DbServer, repository: string): Promise<string[]> {
  const { environments } = await listEnvironments(server, repository);
  return environments.filter((e) => e.kind === "preview").map((e) => e.env);
}
