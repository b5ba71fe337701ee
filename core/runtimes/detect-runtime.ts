import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DetectContext } from "./detect-context.ts";
import { detectGo } from "./detect-go.ts";
import { detectJava } from "./detect-java.ts";
import { detectNode } from "./detect-node.ts";
import { detectPython, PYTHON_MARKERS } from "./detect-python.ts";
import { detectStatic, STATIC_ROOTS } from "./detect-static.ts";
import {
  BuildToolMissingError,
  NoRuntimeDetectedError,
  SourceFolderNotFoundError,
} from "./detection-errors.ts";
import { parseProcfile } from "./parse-procfile.ts";
import { readSourceFile } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";

/** Runtimes in order of precedence: the first whose marker files are present wins. */
const DETECTORS: readonly {
  detect: (context: DetectContext) => Promise<Detection | undefined>;
  lookedFor: string;
}[] = [
  { detect: detectNode, lookedFor: "package.json (node)" },
  { detect: detectGo, lookedFor: "go.mod (go)" },
  { detect: detectJava, lookedFor: "pom.xml or *.java files (java)" },
  { detect: detectPython, lookedFor: `${PYTHON_MARKERS.join(", ")} (python)` },
  {
    detect: detectStatic,
    lookedFor: `index.html in ${STATIC_ROOTS.map((root) => (root === "." ? "the folder itself" : `${root}/`)).join(", ")} (static)`,
  },
];

/** The program each build tool runs, and how to get it, for the check made when `hasCommand` is given. */
const TOOL_COMMANDS: Record<string, { command: string; install: string }> = {
  npm: { command: "npm", install: "Install Node.js, which includes npm." },
  pnpm: { command: "pnpm", install: "Install pnpm (npm install -g pnpm, or corepack enable)." },
  yarn: { command: "yarn", install: "Install yarn (npm install -g yarn, or corepack enable)." },
  "yarn-berry": { command: "yarn", install: "Install yarn (corepack enable)." },
  pip: { command: "python3", install: "Install Python 3 with pip (apt-get install python3-pip)." },
  uv: { command: "uv", install: "Install uv (https://docs.astral.sh/uv/)." },
  poetry: { command: "poetry", install: "Install Poetry with its export plugin (pipx install poetry)." },
  go: { command: "go", install: "Install Go (apt-get install golang-go, or https://go.dev/dl/)." },
  javac: { command: "javac", install: "Install a JDK 17 or later (apt-get install default-jdk-headless)." },
};

export interface DetectOptions {
  /**
   * Checks that a program is on PATH (core/util/find-executable's createHasCommand). When given, a
   * missing build tool fails detection with BuildToolMissingError instead of failing later in the build.
   */
  hasCommand?: (name: string) => Promise<boolean>;
}

/**
 * Finds which runtime builds and starts the app in `dir`. Precedence when several match: package.json →
 * node, go.mod → go, pom.xml or *.java → java, Python files → python, index.html → static. A Procfile's
 * `web:` line wins for the start command whatever the runtime.
 * @throws SourceFolderNotFoundError, NoRuntimeDetectedError (listing what was looked for),
 *   InvalidProjectFileError, NoStartCommandError, BuildToolMissingError
 * @example (await detectRuntime("examples/node-express")).summary
 *   // node >=20 · npm · start "node server.js" · port 3000
 */
export async function detectRuntime(dir: string, options: DetectOptions = {}): Promise<Detection> {
  const folder = resolve(dir);
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined) throw new SourceFolderNotFoundError(folder, "missing");
  if (!info.isDirectory()) throw new SourceFolderNotFoundError(folder, "not-a-folder");
  const procfile = await readSourceFile(folder, "Procfile");
  const context: DetectContext = {
    dir: folder,
    procfileWeb: procfile === undefined ? undefined : parseProcfile(procfile, join(folder, "Procfile")).web,
    hasCommand: options.hasCommand,
  };
  for (const { detect } of DETECTORS) {
    const detection = await detect(context);
    if (detection === undefined) continue;
    await requireTool(detection, folder, options.hasCommand);
    return detection;
  }
  throw new NoRuntimeDetectedError(
    folder,
    DETECTORS.map((item) => item.lookedFor),
  );
}

async function requireTool(
  detection: Detection,
  dir: string,
  hasCommand: ((name: string) => Promise<boolean>) | undefined,
): Promise<void> {
  const needed = TOOL_COMMANDS[detection.tool];
  if (hasCommand === undefined || needed === undefined || (await hasCommand(needed.command))) return;
  throw new BuildToolMissingError({
    tool: detection.tool,
    command: needed.command,
    reason: `the ${detection.runtime} app in ${dir}`,
    fix: needed.install,
  });
}
