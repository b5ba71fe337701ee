import { appExcludes } from "./app-excludes.ts";
import type { BuildPlan, DepsPlan, PlanOptions } from "./build-plan.ts";
import { depsKey } from "./deps-key.ts";
import { readPyproject } from "./read-pyproject.ts";
import { readSourceFile, sourceFileExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";

/** Where Python packages go in the release folder; PYTHONPATH points there. */
export const PYTHON_DEPS = ".deps";
const PIP = [
  "python3",
  "-m",
  "pip",
  "install",
  "--target",
  PYTHON_DEPS,
  "--no-compile",
  "--disable-pip-version-check",
];
/** Lockfiles are exported to this requirements file in the staging folder, then installed with pip/uv. */
const EXPORTED = "requirements.lock.txt";

/**
 * Plans a Python build: packages installed with `--target .deps` (deps layer, skipped when there is
 * nothing to install), the source folder as the app layer, and PYTHONPATH=.deps. uv and Poetry export
 * their lockfile to a requirements file first, since their own installs make virtualenvs bound to one path.
 */
export async function planPython(
  detection: Detection,
  dir: string,
  options: PlanOptions,
): Promise<BuildPlan> {
  const install = await installFor(detection.tool, dir);
  const env: Record<string, string> = {
    // The release folder is content-addressed: do not let Python write bytecode into it.
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONUNBUFFERED: "1",
    ...(install === undefined ? {} : { PYTHONPATH: PYTHON_DEPS }),
  };
  const plan: BuildPlan = {
    app: {
      command: [],
      output: {
        root: ".",
        prefix: "",
        exclude: await appExcludes(dir, [`${PYTHON_DEPS}/`, "__pycache__/", ".venv/"]),
      },
      copySource: false,
    },
    env,
    start: detection.start,
    port: detection.port,
    healthPath: detection.healthPath,
  };
  if (install === undefined) return plan;
  const { inputs, command } = install;
  const key = await depsKey({
    dir,
    inputs,
    runtime: "python",
    version: detection.version,
    tool: detection.tool,
    command,
    ...options,
  });
  const deps: DepsPlan = {
    key,
    inputs,
    command,
    output: { root: PYTHON_DEPS, prefix: PYTHON_DEPS, exclude: [] },
  };
  return { ...plan, deps };
}

async function installFor(
  tool: string,
  dir: string,
): Promise<{ inputs: string[]; command: string[][] } | undefined> {
  switch (tool) {
    case "uv":
      return {
        inputs: ["pyproject.toml", "uv.lock"],
        command: [
          [
            "uv",
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--format",
            "requirements-txt",
            "--output-file",
            EXPORTED,
          ],
          ["uv", "pip", "install", "--target", PYTHON_DEPS, "--requirement", EXPORTED],
        ],
      };
    case "poetry":
      return {
        inputs: ["pyproject.toml", "poetry.lock"],
        command: [
          ["poetry", "export", "--only", "main", "--format", "requirements.txt", "--output", EXPORTED],
          [...PIP, "--requirement", EXPORTED],
        ],
      };
    case "pip":
      return (await sourceFileExists(dir, "requirements.txt"))
        ? requirementsInstall(dir)
        : pyprojectInstall(dir);
    default:
      return undefined;
  }
}

/** requirements.txt, plus the files it pulls in with -r / -c, when it names at least one package. */
async function requirementsInstall(
  dir: string,
): Promise<{ inputs: string[]; command: string[][] } | undefined> {
  const text = (await readSourceFile(dir, "requirements.txt")) ?? "";
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "");
  if (lines.length === 0) return undefined;
  const inputs = ["requirements.txt"];
  for (const line of lines) {
    const included = /^(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)$/.exec(line)?.[1];
    if (included !== undefined && (await sourceFileExists(dir, included))) inputs.push(included);
  }
  return { inputs, command: [[...PIP, "--requirement", "requirements.txt"]] };
}

/** With only pyproject.toml, its `[project] dependencies` are installed by name (nothing pins them). */
async function pyprojectInstall(dir: string): Promise<{ inputs: string[]; command: string[][] } | undefined> {
  const text = await readSourceFile(dir, "pyproject.toml");
  const dependencies = text === undefined ? [] : readPyproject(text).dependencies;
  if (dependencies.length === 0) return undefined;
  // The dependency list travels in the command (and so in the key); the rest of pyproject.toml is app code.
  return { inputs: [], command: [[...PIP, ...dependencies]] };
}
