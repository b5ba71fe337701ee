import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CONFIG_PATH } from "../../core/config/config-schema.ts";
import { parseConfig } from "../../core/config/parse-config.ts";
import type { TemplateSource } from "../../core/previewdb/ensure-template.ts";
import type { CliContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";

/** A template from SQL files, or from the schema of a database on the same server. */
export type TemplateChoice = TemplateSource | { schemaFrom: string };

/**
 * What to build the environment's template from: --migrations DIR (its .sql files in name order) and/or
 * --seed FILE (run after them), or --schema-from DB; else `previews.database.migrations` / `seed` /
 * `schemaFrom` of .github/aether.yml in the working folder; undefined (an empty database) when nothing
 * names anything.
 */
export async function templateSourceFor(
  ctx: CliContext,
  flags: { migrations?: string | undefined; seed?: string | undefined; schemaFrom?: string | undefined },
): Promise<TemplateChoice | undefined> {
  let { migrations, seed, schemaFrom } = flags;
  if (migrations === undefined && seed === undefined && schemaFrom === undefined) {
    const text = await readFile(join(ctx.cwd, CONFIG_PATH), "utf8").catch(() => undefined);
    if (text !== undefined) {
      const parsed = parseConfig(text, CONFIG_PATH);
      if (!parsed.ok) throw new Error(parsed.message);
      ({ migrations, seed, schemaFrom } = parsed.config.previews.database);
    }
  }
  if (schemaFrom !== undefined) {
    if (migrations !== undefined || seed !== undefined)
      throw new UsageError("aether db: give either --schema-from or --migrations/--seed, not both");
    return { schemaFrom };
  }
  const files: Array<{ name: string; sql: string }> = [];
  if (migrations !== undefined) {
    const dir = resolve(ctx.cwd, migrations);
    const names = await readdir(dir).catch((error: unknown) => {
      throw new Error(`cannot read the migrations folder ${dir}: ${String(error)}`);
    });
    for (const name of names.filter((n) => n.endsWith(".sql")).sort())
      files.push({ name, sql: await readFile(join(dir, name), "utf8") });
  }
  if (seed !== undefined) {
    const file = resolve(ctx.cwd, seed);
    const sql = await readFile(file, "utf8").catch((error: unknown) => {
      throw new Error(`cannot read the seed file ${file}: ${String(error)}`);
    });
    if (migrations === undefined) return { seedSql: sql };
    files.push({ name: seed, sql });
  }
  return files.length === 0 ? undefined : { files };
}
