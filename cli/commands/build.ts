import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { buildArtifact } from "../../core/pipeline/build-artifact.ts";
import { formatBytes } from "../../core/pipeline/format.ts";
import { PhaseError } from "../../core/pipeline/pipeline-events.ts";
import { refRecordOf } from "../../core/pipeline/ref-record-of.ts";
import { InvalidSourceRefError, normalizeAppPath, refKey } from "../../core/store/store-layout.ts";
import type { Command, CommandOptions } from "../command.ts";
import { parseOptions } from "../parse-options.ts";
import { pipelineDeps } from "../pipeline-deps.ts";
import { provenanceSetup } from "../provenance-setup.ts";
import { createProgressRenderer } from "../present/progress-renderer.ts";
import { UsageError } from "../usage-error.ts";

const OPTIONS = {
  store: { type: "string" },
  repository: { type: "string" },
  commit: { type: "string" },
} as const satisfies CommandOptions;

export const buildCommand: Command = {
  name: "build",
  options: OPTIONS,
  summary: "build an app into a content-addressed artifact and store it",
  help: `Usage: aether build [dir] [options]

Detects the runtime, builds, packs the layers reproducibly and uploads them with the manifest.
Prints the artifact digest (sha256:…), which is what every deploy refers to.

Options:
  --store URL          artifact store: file:///path, s3://bucket/prefix (default: .aether/store)
  --repository O/N     index the artifact under this repository (default: $GITHUB_REPOSITORY)
  --commit SHA         and this commit (default: $GITHUB_SHA); the app's folder inside the
                       repository (relative to the enclosing git checkout, else to the current
                       folder) completes the key, so each app of a monorepo has its own entry
  --json               print the result as JSON (digest, manifest, layers, bytes, timings)
  -h, --help           this help

Examples:
  aether build examples/go
  aether build --json | jq -r .digest
  aether build --store s3://my-bucket/aether --repository acme/shop --commit $(git rev-parse HEAD)
  aether build apps/api --store s3://my-bucket/aether   (in a monorepo: indexed under apps/api)`,
  async run(argv, ctx) {
    const { values, positionals } = parseOptions("build", argv, OPTIONS);
    if (positionals.length > 1)
      throw new UsageError(`aether build: expected one folder, got ${positionals.join(" ")}`);
    const dir = resolve(ctx.cwd, positionals[0] ?? ".");
    const repository = values.repository ?? ctx.env["GITHUB_REPOSITORY"];
    const commit = values.commit ?? ctx.env["GITHUB_SHA"];
    // Checked before building: a folder that cannot be indexed should not cost a build first.
    const ref = repository && commit ? indexRef({ repository, commit, dir, cwd: ctx.cwd }) : undefined;
    const deps = pipelineDeps(ctx, values.store);
    const renderer = values.json
      ? undefined
      : createProgressRenderer({ out: ctx.stdout, interactive: ctx.interactive, style: ctx.style });
    try {
      const { attest } = await provenanceSetup(ctx);
      const built = await buildArtifact({
        ...deps,
        ...(attest ? { attest } : {}),
        dir,
        onEvent: (e) => renderer?.onEvent(e),
      }).finally(() => renderer?.stop());
      if (ref) {
        await deps.store.putRef(
          ref,
          refRecordOf(built, { path: ref.path, builtAt: new Date(), builder: "aether-cli" }),
        );
      }
      if (values.json) {
        ctx.stdout.write(
          JSON.stringify(
            {
              digest: built.digest,
              store: deps.store.url,
              manifest: built.manifest,
              layers: built.layers,
              bytesUploaded: built.bytesUploaded,
              bytesReused: built.bytesReused,
              timings: built.timings,
              ...(built.attestation ? { attestation: built.attestation } : {}),
              ...(ref ? { ref } : {}),
            },
            null,
            2,
          ) + "\n",
        );
      } else {
        ctx.stdout.write(
          `\n  ${ctx.style.bold(built.digest)}\n  ${ctx.style.dim(
            `uploaded ${formatBytes(built.bytesUploaded)} · reused ${formatBytes(built.bytesReused)} · ${deps.store.url}`,
          )}\n`,
        );
      }
      return 0;
    } catch (error) {
      if (!(error instanceof PhaseError)) throw error;
      if (values.json) {
        ctx.stdout.write(
          JSON.stringify({ ok: false, phase: error.phase, message: error.message, logTail: error.logTail }) +
            "\n",
        );
      } else {
        ctx.stderr.write(`\n  ${ctx.style.fail("✖")} ${error.phase}: ${error.message}\n`);
        for (const line of error.logTail) ctx.stderr.write(`    ${line}\n`);
      }
      return 1;
    }
  },
};

/**
 * Where the build goes in the store's index, checked: the repository, the commit, and the app's folder inside
 * the repository, relative to the nearest enclosing folder with a `.git` (a checkout or worktree), else to
 * the current folder (as the build action takes it relative to the workspace).
 */
function indexRef(where: { repository: string; commit: string; dir: string; cwd: string }) {
  const { dir } = where;
  let root = dir;
  while (!existsSync(join(root, ".git"))) {
    const parent = dirname(root);
    if (parent === root) {
      root = where.cwd;
      break;
    }
    root = parent;
  }
  try {
    const ref = {
      repository: where.repository,
      commit: where.commit,
      path: normalizeAppPath(relative(root, dir).split(sep).join("/")),
    };
    refKey(ref);
    return ref;
  } catch (error) {
    if (error instanceof InvalidSourceRefError) throw new UsageError(`aether build: ${error.message}`);
    throw error;
  }
}
