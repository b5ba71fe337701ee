import type { AetherConfig } from "../../core/config/config-schema.ts";
import { provisionDatabase } from "../../core/previewdb/provision-database.ts";
import type { DeployRequest } from "./deploy-records.ts";
import type { AppDeps } from "./worker-deps.ts";

/** The preview's own database and role, cloned from the repository's template, with its URL. */
export async function provisionPreviewDatabase(
  deps: AppDeps,
  request: DeployRequest,
  config: AetherConfig,
): Promise<{ ok: true; url: string; name: string; ms: number } | { ok: false; message: string }> {
  if (deps.previewDb === undefined)
    return {
      ok: false,
      message:
        "this preview needs a PostgreSQL database, but the app has no PREVIEW_DATABASE_URL or DATABASE_URL to create it on",
    };
  const db = await provisionDatabase({
    admin: deps.previewDb,
    repository: request.repository,
    env: request.env,
    ttlMs: config.previews.ttlMs,
    now: () => new Date(deps.now()),
  });
  return { ok: true, url: db.databaseUrl, name: db.database, ms: db.ms };
}
