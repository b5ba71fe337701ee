import { createHash } from "node:crypto";
import { withAdvisoryLock } from "./advisory-lock.ts";
import { encodeLabel, parseLabel } from "./database-label.ts";
import type { PostgresAdmin } from "./postgres-admin.ts";
import { TEMPLATE_OWNER_ROLE, templateName } from "./preview-names.ts";
import { quoteIdent, quoteLiteral } from "./quote-sql.ts";

/** What a template is built from: migrations applied in the order given, or one seed SQL script. */
export type TemplateSource = { files: Array<{ name: string; sql: string }> } | { seedSql: string };

export interface EnsureTemplateRequest {
  admin: PostgresAdmin;
  repository: string;
  source: TemplateSource;
}

export interface EnsuredTemplate {
  /** Database name to pass to `provisionDatabase` as `template`. */
  template: string;
  /** Hex SHA-256 of the inputs (names and contents, in order). */
  inputHash: string;
  /** It was (re)built now; false when one with the same hash was already there. */
  built: boolean;
  /** Older templates of the same repository that were dropped. */
  removed: string[];
}

/** A migration or seed failed while building the template; the half-built template was dropped. */
export class TemplateBuildError extends Error {
  constructor(repository: string, step: string, detail: string, options?: { cause?: unknown }) {
    super(
      `building the preview template for ${repository} failed in ${step}: ${detail}. ` +
        `Fix that SQL (it runs as the NOLOGIN role ${TEMPLATE_OWNER_ROLE}, so superuser-only statements ` +
        `such as CREATE EXTENSION of untrusted extensions fail) and deploy again.`,
      options,
    );
    this.name = "TemplateBuildError";
  }
}

/** The hash that names a template: every file's name and content, in order, length-prefixed. */
export function templateInputHash(source: TemplateSource): string {
  const hash = createHash("sha256");
  const files = "files" in source ? source.files : [{ name: "seed.sql", sql: source.seedSql }];
  hash.update("files" in source ? "migrations\n" : "seed\n");
  for (const file of files)
    hash.update(`${Buffer.byteLength(file.name)}:${file.name}${Buffer.byteLength(file.sql)}:${file.sql}`);
  return hash.digest("hex");
}

/**
 * Makes sure the repository's template for these migrations exists: built once per input hash, then marked
 * `IS_TEMPLATE true, ALLOW_CONNECTIONS false` so nothing connects to it and clones never find it busy.
 * The SQL runs as the NOLOGIN role `aether_template_owner`, so everything it creates is owned by that role,
 * and `provisionDatabase` hands it all to the preview's role with REASSIGN OWNED. Older templates of the same
 * repository are dropped (a clone in progress holds a lock, so the drop waits for it). Needs a superuser, or
 * an admin that is a member of `aether_template_owner`.
 */
export async function ensureTemplate(request: EnsureTemplateRequest): Promise<EnsuredTemplate> {
  const { admin, repository } = request;
  const inputHash = templateInputHash(request.source);
  const template = templateName({ repository, inputHash });
  return admin.withSession((session) =>
    withAdvisoryLock(session, `template:${repository}`, async () => {
      const rows = await session.query(
        "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database",
      );
      const ours = rows.flatMap((row) => {
        const label = parseLabel(typeof row["comment"] === "string" ? row["comment"] : null);
        const name = String(row["datname"]);
        return label?.kind === "template" && label.repository === repository ? [{ name, label }] : [];
      });
      const present = ours.find((t) => t.name === template && t.label.template === inputHash);
      let built = false;
      if (!present) {
        await build(admin, session, { repository, template, inputHash, source: request.source });
        built = true;
      }
      const removed: string[] = [];
      for (const old of ours.filter((t) => t.name !== template)) {
        await session.query(`ALTER DATABASE ${quoteIdent(old.name)} WITH IS_TEMPLATE false`);
        await session.query(`DROP DATABASE IF EXISTS ${quoteIdent(old.name)}`);
        removed.push(old.name);
      }
      return { template, inputHash, built, removed };
    }),
  );
}

async function build(
  admin: PostgresAdmin,
  session: { query: PostgresAdmin["query"] },
  target: { repository: string; template: string; inputHash: string; source: TemplateSource },
): Promise<void> {
  const db = quoteIdent(target.template);
  const owner = quoteIdent(TEMPLATE_OWNER_ROLE);
  if (
    (await session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [TEMPLATE_OWNER_ROLE])).length === 0
  ) {
    await session.query(`CREATE ROLE ${owner} NOLOGIN`);
  }
  // A template left half-built by a crash (present, unlabelled or labelled for other inputs) is rebuilt.
  await session.query(
    `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_database WHERE datname = ${quoteLiteral(target.template)}) THEN ` +
      `EXECUTE 'ALTER DATABASE ${db.replace(/'/g, "''")} WITH IS_TEMPLATE false'; END IF; END $$`,
  );
  await session.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await session.query(`CREATE DATABASE ${db} TEMPLATE template0`);
  await session.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
  const files =
    "files" in target.source ? target.source.files : [{ name: "seed SQL", sql: target.source.seedSql }];
  try {
    await admin.withDatabase(target.template, async (inside) => {
      await inside.query(`ALTER SCHEMA public OWNER TO ${owner}`);
      await inside.query(`SET ROLE ${owner}`);
      for (const file of files) {
        try {
          await inside.query(file.sql);
        } catch (error) {
          throw new TemplateBuildError(
            target.repository,
            file.name,
            error instanceof Error ? error.message : String(error),
            { cause: error },
          );
        }
      }
    });
  } catch (error) {
    await session.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    throw error;
  }
  await session.query(`ALTER DATABASE ${db} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  const label = encodeLabel({
    aether: 1,
    kind: "template",
    repository: target.repository,
    env: "",
    expiresAt: null,
    template: target.inputHash,
  });
  await session.query(`COMMENT ON DATABASE ${db} IS ${quoteLiteral(label)}`);
}
