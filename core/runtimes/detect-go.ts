import type { DetectContext } from "./detect-context.ts";
import { NoStartCommandError } from "./detection-errors.ts";
import { findGoMainPackage } from "./find-go-main-package.ts";
import { makeDetection } from "./make-detection.ts";
import { readSourceFile } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";
import { procfileStart } from "./start-command.ts";

export const GO_PORT = 8080;
/** The built binary's name in the release folder. */
export const GO_BINARY = "app";

/**
 * Detects a Go module (go.mod): the version from its `go` directive, and as start command the binary the
 * build makes from the main package (the module root, or the single cmd/NAME).
 */
export async function detectGo(context: DetectContext): Promise<Detection | undefined> {
  const { dir } = context;
  const goMod = await readSourceFile(dir, "go.mod");
  if (goMod === undefined) return undefined;
  const version = /^\s*go\s+(\S+)/m.exec(goMod)?.[1];
  const lockfile = (await readSourceFile(dir, "go.sum")) === undefined ? undefined : "go.sum";
  let start = procfileStart(context.procfileWeb, { direct: [] });
  if (start === undefined) {
    if ((await findGoMainPackage(dir)) === undefined) {
      throw new NoStartCommandError(dir, "go", [
        "package main in the module root",
        "a single cmd/NAME/ folder",
      ]);
    }
    start = { argv: [`./${GO_BINARY}`], text: `./${GO_BINARY}`, source: "convention" };
  }
  return makeDetection({ runtime: "go", version, tool: "go", lockfile, start, port: GO_PORT });
}
