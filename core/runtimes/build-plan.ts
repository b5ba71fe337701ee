import type { LayerSource } from "./runtime.ts";

/**
 * How to build the dependency layer. The pipeline copies `inputs` into an empty staging folder, runs each
 * `command` there, and packs `output` (root relative to the staging folder). Reused while `key` is unchanged.
 */
export interface DepsPlan {
  /** sha256 hex of the inputs' bytes, runtime and version, tool, commands and platform. */
  key: string;
  /** Files, relative to the source folder, that the commands need. */
  inputs: string[];
  command: string[][];
  output: LayerSource;
}

/**
 * How to build the app layer. With `copySource`, the commands run in a scratch copy of the source (without
 * node_modules/, .git/, .aether/) and `output.root` is relative to that copy; without it there are no
 * commands and `output.root` is relative to the source folder itself.
 */
export interface AppPlan {
  command: string[][];
  output: LayerSource;
  copySource: boolean;
  /** Files Aether adds to the scratch copy before the commands run (the static runtime's server). */
  files?: { path: string; content: string }[];
}

/** Everything the pipeline needs to turn a detected source folder into layers and a manifest. */
export interface BuildPlan {
  deps?: DepsPlan;
  app: AppPlan;
  /** Environment the app runs with; paths in it are relative to the release folder. */
  env: Record<string, string>;
  /** argv run from the release folder. */
  start: string[];
  port: number;
  healthPath: string;
}

export interface PlanOptions {
  /**
   * Where the deps layer will run, e.g. "linux-x64": native modules built for one platform do not run on
   * another. Callers that build native Node addons may append the Node ABI ("linux-x64-node137").
   */
  platform: string;
}
