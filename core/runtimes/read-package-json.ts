import { join } from "node:path";
import { InvalidProjectFileError } from "./detection-errors.ts";
import { readSourceFile } from "./read-source-file.ts";

/** The parts of package.json that detection and build planning use, checked where the file is read. */
export interface PackageJson {
  main?: string;
  scripts: Record<string, string>;
  /** Names of runtime dependencies (dependencies and optionalDependencies). */
  dependencyNames: string[];
  enginesNode?: string;
  /** `packageManager`, e.g. "pnpm@9.1.0": says which tool wins when several lockfiles exist. */
  packageManager?: string;
}

/** Reads and checks `package.json` in `dir`; undefined when there is none. */
export async function readPackageJson(dir: string): Promise<PackageJson | undefined> {
  const text = await readSourceFile(dir, "package.json");
  if (text === undefined) return undefined;
  const file = join(dir, "package.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidProjectFileError(
      file,
      `not valid JSON (${detail})`,
      "Fix the syntax (npm pkg fix helps).",
    );
  }
  if (!isRecord(parsed)) {
    throw new InvalidProjectFileError(file, "the top level is not an object", "It must be a JSON object.");
  }
  const scripts = stringRecord(parsed.scripts, file, "scripts");
  const engines = isRecord(parsed.engines) ? parsed.engines : {};
  return {
    ...(typeof parsed.main === "string" ? { main: parsed.main } : {}),
    scripts,
    dependencyNames: [
      ...Object.keys(stringRecord(parsed.dependencies, file, "dependencies")),
      ...Object.keys(stringRecord(parsed.optionalDependencies, file, "optionalDependencies")),
    ],
    ...(typeof engines.node === "string" ? { enginesNode: engines.node } : {}),
    ...(typeof parsed.packageManager === "string" ? { packageManager: parsed.packageManager } : {}),
  };
}

function stringRecord(value: unknown, file: string, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    throw new InvalidProjectFileError(
      file,
      `"${field}" is not an object`,
      `Make "${field}" an object of strings.`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") {
      throw new InvalidProjectFileError(file, `"${field}.${key}" is not a string`, "Give it a string value.");
    }
    out[key] = item;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
