import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./parse-config.ts";
import { renderConfigReference } from "./render-config-reference.ts";

describe("the config file reference", () => {
  it("is docs/config-file.md, generated from the schema (run node scripts/gen-config-reference.ts)", async () => {
    const committed = await readFile(new URL("../../docs/config-file.md", import.meta.url), "utf8");
    expect(committed).toBe(renderConfigReference());
  });

  it("documents every key the validator accepts, and its example is valid", () => {
    const reference = renderConfigReference();
    for (const key of [
      "version",
      "apps.<name>.path",
      "environments.<name>.requiredChecks",
      "previews.ttl",
      "previews.database.engine",
      "requireProvenance",
    ]) {
      expect(reference).toContain(`| \`${key}\` |`);
    }
    const example = /```yaml\n([\s\S]*?)```/.exec(reference)?.[1] ?? "";
    const parsed = parseConfig(example);
    expect(parsed.ok, parsed.ok ? "" : parsed.message).toBe(true);
  });
});
