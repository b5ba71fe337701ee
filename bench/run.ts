// `npm run bench -- NAME [args]`: runs bench/NAME.ts, which writes bench/results/NAME.json.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.includes(".test.") && !f.includes("-"))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (NAME is one of: ${available.join(", ")})`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  [fileURLToPath(new URL(`./${name}.ts`, import.meta.url)), ...args],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
