import { CONFIG_PATH, CONFIG_SCHEMA } from "./config-schema.ts";
import type { FieldSchema } from "./schema-types.ts";

/**
 * The reference of `.github/aether.yml` as Markdown, generated from the schema the validator uses, so the
 * docs cannot drift from what is accepted (docs/config-file.md is this text; a test compares them).
 */
export function renderConfigReference(): string {
  const rows: string[] = [];
  collect(CONFIG_SCHEMA, "", rows);
  return [
    "# Config file reference",
    "",
    `<!-- Generated from core/config/config-schema.ts by \`node scripts/gen-config-reference.ts\`. Do not edit. -->`,
    "",
    `Aether reads \`${CONFIG_PATH}\` at the commit being deployed. Every key is optional except \`version\`;`,
    "an invalid file fails the deploy's check run with the file, line, column and key path of every problem.",
    "`<name>` stands for a name you choose: lowercase letters, digits and dashes, at most 63.",
    "",
    "| key | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "## Example",
    "",
    "```yaml",
    "version: 1",
    "apps:",
    "  web: { path: apps/web }",
    "environments:",
    "  production:",
    "    branch: main",
    "    requiredChecks: [test]",
    "  staging: {}",
    "previews:",
    '  host: "pr-{number}.preview.example.com"',
    "  ttl: 7d",
    "  database: { engine: postgres, migrations: db/migrations }",
    "```",
    "",
  ].join("\n");
}

function collect(schema: FieldSchema, path: string, rows: string[]): void {
  if (schema.kind === "object") {
    if (path) rows.push(row(path, "mapping", "", schema.description));
    for (const [name, field] of Object.entries(schema.fields))
      collect(field, path ? `${path}.${name}` : name, rows);
  } else if (schema.kind === "map") {
    rows.push(row(path, "mapping of names", "", schema.description));
    collect(schema.values, `${path}.<name>`, rows);
  } else if (schema.kind === "list") {
    rows.push(row(path, `list of ${schema.items.kind}s`, "", schema.description));
  } else {
    const type =
      schema.kind === "string" && schema.enum
        ? schema.enum.map((e) => `\`${e}\``).join(" \\| ")
        : schema.kind;
    const range =
      schema.kind === "integer" && schema.min !== undefined ? ` (${schema.min}–${schema.max ?? "…"})` : "";
    const value = "default" in schema && schema.default !== undefined ? `\`${String(schema.default)}\`` : "";
    rows.push(row(path, `${type}${range}`, value, schema.description));
  }
}

function row(path: string, type: string, value: string, description: string): string {
  return `| \`${path}\` | ${type} | ${value} | ${description.replaceAll("|", "\\|")} |`;
}
