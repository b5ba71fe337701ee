// The build action: read inputs, build through core, write outputs, the job summary and annotations.
import * as core from "@actions/core";
import { join, relative, resolve, sep } from "node:path";
import { epochFromEnv } from "../../../core/artifact/epoch.ts";
import { buildArtifact } from "../../../core/pipeline/build-artifact.ts";
import { PhaseError } from "../../../core/pipeline/pipeline-events.ts";
import { refRecordOf } from "../../../core/pipeline/ref-record-of.ts";
import { openStore } from "../../../core/store/open-store.ts";
import { normalizeAppPath } from "../../../core/store/store-layout.ts";
import { createHasCommand } from "../../../core/util/find-executable.ts";
import { createRunCommand } from "../../../core/util/run-command.ts";
import type { BuildInput, BuildOutput } from "./action-io.ts";
import { buildSummary } from "./build-summary.ts";
import { errorAnnotation } from "./error-annotation.ts";

const input = (name: BuildInput, required = false): string => core.getInput(name, { required });
const output = (name: BuildOutput, value: string): void => core.setOutput(name, value);

async function main(): Promise<void> {
  const env = process.env;
  const workspace = env["GITHUB_WORKSPACE"] ?? process.cwd();
  try {
    const path = input("path") || ".";
    const store = openStore(input("store", true), { cwd: workspace, env });
    const dir = resolve(workspace, path);
    // The app's folder in the repository keys its entry in the store's index: a monorepo's apps each get one.
    const appPath = normalizeAppPath(relative(workspace, dir).split(sep).join("/"));
    const built = await buildArtifact({
      dir,
      store,
      cacheDir: join(env["RUNNER_TEMP"] ?? join(workspace, ".aether"), "aether-cache"),
      epoch: epochFromEnv(env),
      platform: `${process.platform}-${process.arch}`,
      run: createRunCommand(env),
      hasCommand: createHasCommand(env["PATH"] ?? ""),
      clock: () => performance.now(),
      onEvent: (event) => {
        if (event.type === "phase-finished") core.info(`✔ ${event.phase.padEnd(8)} ${event.detail}`);
        else if (event.type === "output") core.info(`  ${event.line}`);
        else if (event.type === "phase-failed") core.info(`✖ ${event.phase.padEnd(8)} ${event.message}`);
      },
    });
    const repository = env["GITHUB_REPOSITORY"];
    const commit = env["GITHUB_SHA"];
    if (repository && commit) {
      await store.putRef(
        { repository, commit, path: appPath },
        refRecordOf(built, {
          path: appPath,
          builtAt: new Date(),
          builder: `github-actions:${env["GITHUB_WORKFLOW_REF"] ?? env["GITHUB_WORKFLOW"] ?? "unknown"}`,
        }),
      );
    }
    const manifestUrl = `${store.url}/blobs/sha256/${built.digest.slice("sha256:".length)}`;
    output("digest", built.digest);
    output("manifest", manifestUrl);
    if (env["GITHUB_STEP_SUMMARY"]) {
      await core.summary.addRaw(buildSummary({ built, storeUrl: store.url, manifestUrl, appPath })).write();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const phase = error instanceof PhaseError ? `${error.phase}: ` : "";
    core.error(`${phase}${message}`, { title: "Aether build failed", ...errorAnnotation(error, workspace) });
    if (error instanceof PhaseError && error.logTail.length > 0) {
      core.startGroup("Last lines of output");
      for (const line of error.logTail) core.info(line);
      core.endGroup();
    }
    core.setFailed(`Aether build failed${phase ? ` at ${phase.slice(0, -2)}` : ""}`);
  }
}

await main();
