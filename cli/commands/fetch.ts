import { resolve } from "node:path";
import { parseDigest } from "../../core/artifact/digest.ts";
import { materializeRelease } from "../../core/pipeline/materialize-release.ts";
import type { Command, CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";
import { openCliStore } from "../pipeline-deps.ts";

const OPTIONS = {
  store: { type: "string" },
  into: { type: "string" },
} as const satisfies CommandOptions;

export const fetchCommand: Command = {
  name: "fetch",
  options: OPTIONS,
  summary: "download an artifact by digest, verify it, and unpack it into a folder",
  help: `Usage: aether fetch DIGEST --into DIR [--store URL]

Reads the manifest and every layer of the artifact from the store, verifies each against its
digest while it streams, and unpacks them into DIR, which appears only when all of it verified.
This is what the init container of a Kubernetes deploy runs.

Options:
  --into DIR     folder to create (must not exist yet)
  --store URL    artifact store: file:///path, s3://bucket/prefix (default: .aether/store)
  --json         print the result as JSON
  -h, --help     this help

Examples:
  aether fetch sha256:5e1c… --into /app/release --store s3://acme-artifacts/aether`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("fetch", argv, OPTIONS);
    if (positionals.length !== 1 || !positionals[0])
      throw new UsageError("aether fetch: give one artifact digest");
    if (!values.into) throw new UsageError("aether fetch: --into DIR is required");
    const digest = parseDigest(positionals[0], "aether fetch");
    const store = openCliStore(ctx, values.store);
    const manifest = await store.getManifest(digest);
    const releaseDir = resolve(ctx.cwd, values.into);
    const result = await materializeRelease({ store, digest, manifest, releaseDir });
    if (values.json) ctx.stdout.write(JSON.stringify({ digest, releaseDir, ...result }) + "\n");
    else
      ctx.stdout.write(
        `${result.reused ? "already there" : "fetched"}: ${digest} → ${releaseDir} (${result.layers} layer${result.layers === 1 ? "" : "s"}, verified)\n`,
      );
    return 0;
  },
};
