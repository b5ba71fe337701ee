import { readdir } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { findPgTools, serverMajorVersion, type PgTools } from "../../core/previewdb/find-pg-tools.ts";
import type { CliContext } from "../context.ts";
import type { DbServer } from "./open-db-server.ts";

const DEBIAN_VERSIONS = "/usr/lib/postgresql";

/**
 * pg_dump and pg_restore for the server: AETHER_PG_BIN when set, else the newest of the server's own
 * binaries (the local default's, when they ship them), Debian's /usr/lib/postgresql/N/bin, and PATH.
 */
export async function pgToolsFor(ctx: CliContext, server: DbServer): Promise<PgTools> {
  const serverMajor = await serverMajorVersion((text) => server.admin.query(text));
  const preferred = ctx.env["AETHER_PG_BIN"];
  const versions = await readdir(DEBIAN_VERSIONS).catch(() => []);
  const debian = versions
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((name) => join(DEBIAN_VERSIONS, name, "bin"));
  const path = (ctx.env["PATH"] ?? "").split(delimiter).filter((dir) => dir !== "");
  return findPgTools({
    serverMajor,
    candidates: [...server.toolDirs, ...debian, ...path],
    ...(preferred === undefined || preferred === "" ? {} : { preferred }),
    where: server.admin.where,
  });
}
