import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { appExcludes } from "./app-excludes.ts";
import type { BuildPlan, PlanOptions } from "./build-plan.ts";
import { depsKey } from "./deps-key.ts";
import { InvalidProjectFileError } from "./detection-errors.ts";
import type { NodeTool } from "./find-node-lockfile.ts";
import { readPackageJson } from "./read-package-json.ts";
import { sourceFileExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";

/** Config files each tool reads while installing; copied to the staging folder when present. */
const TOOL_CONFIG: Record<NodeTool, string[]> = {
  npm: [".npmrc"],
  pnpm: [".npmrc", "pnpm-workspace.yaml", ".pnpmfile.cjs"],
  yarn: [".npmrc", ".yarnrc"],
  "yarn-berry": [".yarnrc.yml"],
};

// Yarn berry defaults to Plug'n'Play, which leaves no node_modules folder to put in a layer.
const BERRY = ["env", "YARN_NODE_LINKER=node-modules", "yarn"];

function prodInstall(tool: NodeTool, locked: boolean): string[] {
  switch (tool) {
    case "npm":
      return locked
        ? ["npm", "ci", "--omit=dev", "--ignore-scripts=false", "--no-audit", "--no-fund"]
        : ["npm", "install", "--omit=dev", "--no-package-lock", "--no-audit", "--no-fund"];
    case "pnpm":
      return ["pnpm", "install", "--frozen-lockfile", "--prod"];
    case "yarn":
      return ["yarn", "install", "--frozen-lockfile", "--production", "--non-interactive"];
    case "yarn-berry":
      return [...BERRY, "workspaces", "focus", "--all", "--production"];
  }
}

function fullInstall(tool: NodeTool, locked: boolean): string[] {
  switch (tool) {
    case "npm":
      return locked
        ? ["npm", "ci", "--no-audit", "--no-fund"]
        : ["npm", "install", "--no-package-lock", "--no-audit", "--no-fund"];
    case "pnpm":
      return ["pnpm", "install", "--frozen-lockfile"];
    case "yarn":
      return ["yarn", "install", "--frozen-lockfile", "--non-interactive"];
    case "yarn-berry":
      return [...BERRY, "install", "--immutable"];
  }
}

/**
 * Plans a Node build: production dependencies into node_modules/ (deps layer, skipped when package.json
 * has none); with a `build` script, a full install and `run build` in a scratch copy whose result, minus
 * node_modules/, is the app layer; without one, the source folder is the app layer as it is.
 */
export async function planNode(detection: Detection, dir: string, options: PlanOptions): Promise<BuildPlan> {
  const tool = nodeTool(detection.tool);
  const pkg = await readPackageJson(dir);
  if (pkg === undefined) {
    throw new InvalidProjectFileError(join(dir, "package.json"), "missing", "Detect the folder again.");
  }
  const locked = detection.lockfile !== undefined;
  const exclude = await appExcludes(dir);
  const hasBuild = pkg.scripts.build !== undefined;
  const runner = tool === "yarn-berry" ? BERRY : [tool === "yarn" ? "yarn" : tool];
  const plan: BuildPlan = {
    app: {
      command: hasBuild ? [fullInstall(tool, locked), [...runner, "run", "build"]] : [],
      output: { root: ".", prefix: "", exclude },
      copySource: hasBuild,
    },
    env: { NODE_ENV: "production" },
    start: detection.start,
    port: detection.port,
    healthPath: detection.healthPath,
  };
  if (pkg.dependencyNames.length === 0) return plan;
  const inputs = ["package.json", ...(detection.lockfile === undefined ? [] : [detection.lockfile])];
  for (const file of TOOL_CONFIG[tool]) {
    if (await sourceFileExists(dir, file)) inputs.push(file);
  }
  if (tool === "yarn-berry") inputs.push(...(await yarnFiles(dir)));
  const command = [prodInstall(tool, locked)];
  const key = await depsKey({
    dir,
    inputs,
    runtime: "node",
    version: detection.version,
    tool,
    command,
    ...options,
  });
  return {
    ...plan,
    deps: { key, inputs, command, output: { root: "node_modules", prefix: "node_modules", exclude: [] } },
  };
}

function nodeTool(tool: string): NodeTool {
  if (tool === "npm" || tool === "pnpm" || tool === "yarn" || tool === "yarn-berry") return tool;
  throw new Error(`planNode: "${tool}" is not a Node package manager (npm, pnpm, yarn, yarn-berry)`);
}

/** The yarn release and plugins a berry project commits (`yarnPath` in .yarnrc.yml points there). */
async function yarnFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of [".yarn/releases", ".yarn/plugins"]) {
    const entries = await readdir(join(dir, folder), { recursive: true, withFileTypes: true }).catch(
      () => [],
    );
    for (const entry of entries) {
      if (entry.isFile()) files.push(relative(dir, join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}
