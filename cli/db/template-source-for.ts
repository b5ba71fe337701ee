import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CONFIG_PATH } from "../../core/config/config-schema.ts";
import { parseConfig } from "../../core/config/parse-config.ts";
import type { TemplateSource } from "../../core/previewdb/ensure-template.ts";
import type { CliContext } from "../context.ts";

/**
 * What to build the environment's template from: --migrations DIR (its .sql files in name order) and/or
 * --seed FILE (run after them), else `previews.database.migrations` / `seed` of .github/aether.yml in the
 * working folder; undefined (an empty database) when neither names anything.
 */
export async function templateSourceFor(
  ctx: CliContext,
  flags: { migrations?: string | undefined; seed?: string | undefined },
): Promise<TemplateSource | undefined> {
  let { migrations, seed } = flags;
  if (migrations === undefined && seed === undefined) {
    const text = await readFile(join(ctx.cwd, CONFIG_PATH), "utf8").catch(() => undefined);
    if (text !== undefined) {
      const parsed = parseConfig(text, CONFIG_PATH);
      if (!parsed.ok) throw new Error(parsed.message);
      ({ migrations, seed } = parsed.config.previews.database);
    }
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
