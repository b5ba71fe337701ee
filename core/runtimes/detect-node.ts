import type { DetectContext } from "./detect-context.ts";
import { NoStartCommandError } from "./detection-errors.ts";
import { findNodeLockfile } from "./find-node-lockfile.ts";
import { makeDetection, type StartChoice } from "./make-detection.ts";
import { readPackageJson } from "./read-package-json.ts";
import { readSourceFile, sourceFileExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";
import { procfileStart, startCommand, type StartCommandOptions } from "./start-command.ts";

export const NODE_PORT = 3000;
const CONVENTIONAL_ENTRIES = ["server.js", "index.js", "app.js"];
const START_OPTIONS: StartCommandOptions = { direct: ["node"], binDir: "node_modules/.bin" };

/**
 * Detects a Node app (a package.json): the package manager from the lockfile, the Node version from
 * `engines.node` (or .nvmrc / .node-version), and the start command from the Procfile, `scripts.start`,
 * the `main` field, or server.js / index.js / app.js, in that order. Undefined when there is no package.json.
 */
export async function detectNode(context: DetectContext): Promise<Detection | undefined> {
  const { dir } = context;
  const pkg = await readPackageJson(dir);
  if (pkg === undefined) return undefined;
  const { tool, lockfile, notes } = await findNodeLockfile(dir, pkg.packageManager);
  const start = procfileStart(context.procfileWeb, START_OPTIONS) ?? (await conventionalStart(dir, pkg));
  return makeDetection({
    runtime: "node",
    version: pkg.enginesNode ?? (await versionFile(dir)),
    tool,
    lockfile,
    start,
    port: NODE_PORT,
    notes,
  });
}

async function conventionalStart(
  dir: string,
  pkg: { scripts: Record<string, string>; main?: string },
): Promise<StartChoice> {
  const script = pkg.scripts.start;
  if (script !== undefined && script.trim() !== "") {
    return { argv: startCommand(script, START_OPTIONS), text: script, source: "package.json scripts.start" };
  }
  if (pkg.main !== undefined && (await sourceFileExists(dir, pkg.main))) {
    return { argv: ["node", pkg.main], text: `node ${pkg.main}`, source: "package.json main" };
  }
  for (const entry of CONVENTIONAL_ENTRIES) {
    if (await sourceFileExists(dir, entry)) {
      return { argv: ["node", entry], text: `node ${entry}`, source: "convention" };
    }
  }
  throw new NoStartCommandError(dir, "node", [
    "package.json scripts.start",
    "package.json main",
    ...CONVENTIONAL_ENTRIES,
  ]);
}

async function versionFile(dir: string): Promise<string | undefined> {
  for (const file of [".nvmrc", ".node-version"]) {
    const text = (await readSourceFile(dir, file))?.trim();
    if (text) return text.replace(/^v/, "");
  }
  return undefined;
}
