import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A runner's folders for one test file: a workspace holding `app` (a copy of an example) and RUNNER_TEMP. */
export interface ActionWorkspace {
  base: string;
  workspace: string;
  runnerTemp: string;
  /** A file store in the base folder, as a `file://` URL. */
  store: string;
  remove: () => Promise<void>;
}

/** Copies `examples/<example>` (without node_modules) to `<workspace>/app` in a fresh temporary folder. */
export async function actionWorkspace(example: string): Promise<ActionWorkspace> {
  const base = await mkdtemp(join(tmpdir(), "aether-actions-"));
  const workspace = join(base, "workspace");
  const runnerTemp = join(base, "runner-temp");
  await mkdir(runnerTemp, { recursive: true });
  await cp(join(ROOT, "examples", example), join(workspace, "app"), {
    recursive: true,
    filter: (src) => !src.includes("node_modules"),
  });
  return {
    base,
    workspace,
    runnerTemp,
    store: `file://${join(base, "store")}`,
    remove: () => rm(base, { recursive: true, force: true }),
  };
}
