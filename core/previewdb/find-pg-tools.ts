import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** pg_dump and pg_restore of one PostgreSQL version, in one folder. */
export interface PgTools {
  binDir: string;
  /** Major version, such as 15. */
  major: number;
}

/** No folder holds a pg_dump new enough for the server: pg_dump refuses servers newer than itself. */
export class PgToolsMissingError extends Error {
  constructor(serverMajor: number, where: string, found: PgTools[]) {
    const seen =
      found.length === 0
        ? "none was found"
        : `found: ${found.map((t) => `${t.major} in ${t.binDir}`).join(", ")}`;
    super(
      `backing up or restoring the PostgreSQL ${serverMajor} server at ${where} needs pg_dump and pg_restore ` +
        `${serverMajor} or newer (${seen}). Install the PostgreSQL ${serverMajor} client tools, or set ` +
        `AETHER_PG_BIN to the folder that holds them; nothing was changed.`,
    );
    this.name = "PgToolsMissingError";
  }
}

/**
 * Picks the folder whose pg_dump and pg_restore can handle a server of `serverMajor`: the first of
 * `preferred` (an explicit choice, used even when it turns out too old, to say so), else the newest of
 * `candidates` (folders that lack either tool are skipped). Versions come from `pg_dump --version`.
 * @example await findPgTools({ serverMajor: 15, candidates: ["/usr/lib/postgresql/15/bin"], where: "db:5432" })
 */
export async function findPgTools(request: {
  serverMajor: number;
  candidates: readonly string[];
  preferred?: string;
  where: string;
}): Promise<PgTools> {
  const folders = request.preferred === undefined ? request.candidates : [request.preferred];
  const found: PgTools[] = [];
  for (const binDir of new Set(folders)) {
    const major = await toolsMajor(binDir);
    if (major !== undefined) found.push({ binDir, major });
  }
  const best = [...found].sort((a, b) => b.major - a.major)[0];
  if (best === undefined || best.major < request.serverMajor)
    throw new PgToolsMissingError(request.serverMajor, request.where, found);
  return best;
}

/** The major version of the server behind `query`, from server_version_num (150018 → 15). */
export async function serverMajorVersion(query: (text: string) => Promise<Array<Record<string, unknown>>>) {
  const rows = await query("SHOW server_version_num");
  return Math.floor(Number(rows[0]?.["server_version_num"]) / 10000);
}

async function toolsMajor(binDir: string): Promise<number | undefined> {
  try {
    await access(join(binDir, "pg_dump"), constants.X_OK);
    await access(join(binDir, "pg_restore"), constants.X_OK);
    const { stdout } = await run(join(binDir, "pg_dump"), ["--version"], { timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
