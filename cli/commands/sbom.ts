import { stat, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { epochFromEnv } from "../../core/artifact/epoch.ts";
import { appIdentity } from "../../core/sbom/app-identity.ts";
import { generateSbom, serializeSbomJson, serializeSbomXml } from "../../core/sbom/generate-sbom.ts";
import type { Command, CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { VERSION } from "../version.ts";

const OPTIONS = {
  output: { type: "string", short: "o" },
  format: { type: "string" },
  "include-dev": { type: "boolean" },
} as const satisfies CommandOptions;

export const sbomCommand: Command = {
  name: "sbom",
  options: OPTIONS,
  summary: "write a CycloneDX 1.6 SBOM from the app's lockfiles",
  help: `Usage: aether sbom [dir] [options]

Reads every lockfile under dir (package-lock.json, pnpm-lock.yaml, yarn.lock, uv.lock, poetry.lock,
requirements.txt, go.mod + go.sum; node_modules and .git are skipped) and writes one CycloneDX 1.6
SBOM with package URLs, hashes, licences, scopes and the dependency graph. The same lockfiles and
SOURCE_DATE_EPOCH give the same bytes.

Options:
  -o, --output FILE     write to FILE instead of standard output
  --format json|xml     output format (default: json)
  --include-dev         include development dependencies (scope "excluded")
  -h, --help            this help

Examples:
  aether sbom examples/node-express
  aether sbom . -o sbom.cdx.json --include-dev
  aether sbom . --format xml -o sbom.cdx.xml`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("sbom", argv, OPTIONS);
    if (positionals.length > 1)
      throw new UsageError(`aether sbom: expected one folder, got ${positionals.join(" ")}`);
    const format = values.format ?? "json";
    if (format !== "json" && format !== "xml") {
      throw new UsageError(`aether sbom: --format must be json or xml, not "${format}"`);
    }
    const dir = resolve(ctx.cwd, positionals[0] ?? ".");
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
      throw new Error(`${dir} is not a folder: pass the folder that holds your app and its lockfile`);
    }
    const bom = await generateSbom({
      dir,
      app: await appIdentity(dir),
      includeDev: values["include-dev"] === true,
      epoch: epochFromEnv(ctx.env),
      toolVersion: VERSION,
    });
    const text = format === "xml" ? serializeSbomXml(bom) : serializeSbomJson(bom);
    if (values.output) {
      await writeFile(resolve(ctx.cwd, values.output), text);
      ctx.stderr.write(`  ${ctx.style.ok("✔")} ${bom.components.length} components → ${values.output}\n`);
    } else {
      ctx.stdout.write(text);
    }
    return 0;
  },
};
