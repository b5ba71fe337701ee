import { join } from "node:path";
import type { BuildPlan } from "./build-plan.ts";
import { GO_BINARY } from "./detect-go.ts";
import { InvalidProjectFileError } from "./detection-errors.ts";
import { findGoMainPackage } from "./find-go-main-package.ts";
import type { Detection } from "./runtime.ts";

/** Build output inside the scratch copy; only this folder becomes the app layer. */
const OUT = ".aether-build";

/**
 * Plans a Go build: one static binary (CGO off, so it runs on any Linux of that architecture) built
 * reproducibly (-trimpath, no build id, no VCS stamp) from the main package; the binary alone is the app
 * layer and there is no deps layer. The pipeline's environment must give go a HOME or GOCACHE.
 */
export async function planGo(detection: Detection, dir: string): Promise<BuildPlan> {
  const main = await findGoMainPackage(dir);
  if (main === undefined) {
    throw new InvalidProjectFileError(
      join(dir, "go.mod"),
      "no main package to build (looked in the module root and in cmd/*/)",
      "Put package main in the module root, or in exactly one cmd/NAME/ folder.",
    );
  }
  const build = [
    "go",
    "build",
    "-trimpath",
    "-buildvcs=false",
    "-ldflags=-buildid=",
    "-o",
    `${OUT}/${GO_BINARY}`,
    main,
  ];
  return {
    app: {
      // `env` sets CGO_ENABLED for this one command, so the plan needs nothing from the pipeline's environment.
      command: [["env", "CGO_ENABLED=0", ...build]],
      output: { root: OUT, prefix: "", exclude: [] },
      copySource: true,
    },
    env: {},
    start: detection.start,
    port: detection.port,
    healthPath: detection.healthPath,
  };
}
