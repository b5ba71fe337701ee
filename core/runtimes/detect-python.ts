import type { DetectContext } from "./detect-context.ts";
import { NoStartCommandError } from "./detection-errors.ts";
import { makeDetection, type StartChoice } from "./make-detection.ts";
import { readPyproject } from "./read-pyproject.ts";
import { readSourceFile, sourceFileExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";
import { procfileStart, type StartCommandOptions } from "./start-command.ts";

export const PYTHON_PORT = 8000;
/** Files that make a folder a Python app, in the order their build tool wins. */
export const PYTHON_MARKERS = [
  "uv.lock",
  "poetry.lock",
  "requirements.txt",
  "pyproject.toml",
  "app.py",
  "main.py",
];
const CONVENTIONAL_ENTRIES = ["app.py", "main.py"];
/** Console scripts (gunicorn, uvicorn …) installed with the deps land in .deps/bin. */
const START_OPTIONS: StartCommandOptions = { direct: ["python3", "python"], binDir: ".deps/bin" };

const TOOLS: Record<string, { tool: string; lockfile?: string }> = {
  "uv.lock": { tool: "uv", lockfile: "uv.lock" },
  "poetry.lock": { tool: "poetry", lockfile: "poetry.lock" },
  "requirements.txt": { tool: "pip", lockfile: "requirements.txt" },
  "pyproject.toml": { tool: "pip" },
};

/**
 * Detects a Python app: uv.lock → uv, poetry.lock → poetry, requirements.txt → pip, pyproject.toml alone →
 * pip (with a note: nothing pins the versions); app.py or main.py alone → no install at all.
 * The version comes from .python-version or `requires-python`.
 */
export async function detectPython(context: DetectContext): Promise<Detection | undefined> {
  const { dir } = context;
  let marker: string | undefined;
  for (const candidate of PYTHON_MARKERS) {
    if (await sourceFileExists(dir, candidate)) {
      marker = candidate;
      break;
    }
  }
  if (marker === undefined) return undefined;
  const { tool, lockfile } = TOOLS[marker] ?? { tool: "none" };
  const pyprojectText = await readSourceFile(dir, "pyproject.toml");
  const notes = marker === "pyproject.toml" ? ["no lockfile: versions are resolved at build time"] : [];
  const start = procfileStart(context.procfileWeb, START_OPTIONS) ?? (await conventionalStart(dir));
  return makeDetection({
    runtime: "python",
    version: await pythonVersion(dir, pyprojectText),
    tool,
    lockfile,
    start,
    port: PYTHON_PORT,
    notes,
  });
}

async function conventionalStart(dir: string): Promise<StartChoice> {
  for (const entry of CONVENTIONAL_ENTRIES) {
    if (await sourceFileExists(dir, entry)) {
      return { argv: ["python3", entry], text: `python3 ${entry}`, source: "convention" };
    }
  }
  throw new NoStartCommandError(dir, "python", CONVENTIONAL_ENTRIES);
}

async function pythonVersion(dir: string, pyprojectText: string | undefined): Promise<string | undefined> {
  const pinned = (await readSourceFile(dir, ".python-version"))?.split(/\r?\n/)[0]?.trim();
  if (pinned) return pinned;
  return pyprojectText === undefined ? undefined : readPyproject(pyprojectText).requiresPython;
}
