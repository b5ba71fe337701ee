// Writes docs/config-file.md from the config schema (core/config/config-schema.ts).
import { writeFile } from "node:fs/promises";
import { renderConfigReference } from "../core/config/render-config-reference.ts";

await writeFile(new URL("../docs/config-file.md", import.meta.url), renderConfigReference());
console.log("wrote docs/config-file.md");
