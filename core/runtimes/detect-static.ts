import type { DetectContext } from "./detect-context.ts";
import { makeDetection } from "./make-detection.ts";
import { sourceFileExists } from "./read-source-file.ts";
import type { Detection } from "./runtime.ts";
import { procfileStart } from "./start-command.ts";
import { STATIC_SERVER_FILE } from "./static-server-source.ts";

export const STATIC_PORT = 8080;
/** Folders that may hold a static site's index.html, in the order they are tried. */
export const STATIC_ROOTS = [".", "public", "dist", "build", "site", "_site"];

/** The folder (relative to `dir`) holding the site's index.html, or undefined. */
export async function findStaticRoot(dir: string): Promise<string | undefined> {
  for (const root of STATIC_ROOTS) {
    if (await sourceFileExists(dir, root === "." ? "index.html" : `${root}/index.html`)) return root;
  }
  return undefined;
}

/** Detects a static site: an index.html at the top or in one of STATIC_ROOTS, served by a small Node server. */
export async function detectStatic(context: DetectContext): Promise<Detection | undefined> {
  const root = await findStaticRoot(context.dir);
  if (root === undefined) return undefined;
  const argv = ["node", STATIC_SERVER_FILE, root];
  const start = procfileStart(context.procfileWeb, { direct: ["node"] }) ?? {
    argv,
    text: argv.join(" "),
    source: "convention",
  };
  return makeDetection({
    runtime: "static",
    version: undefined,
    tool: "none",
    lockfile: undefined,
    start,
    port: STATIC_PORT,
  });
}
