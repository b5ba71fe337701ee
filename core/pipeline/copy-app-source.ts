import { cp, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Copies the app's folder without node_modules, .git and .aether, entry by entry: a whole-folder `cp` is
 * refused outright when the build's scratch space is inside the app (`aether build .`, whose cache is
 * ./.aether), before any filter could leave .aether out.
 */
export async function copyAppSource(dir: string, destination: string): Promise<void> {
  await mkdir(destination, { recursive: true });
  for (const entry of await readdir(dir)) {
    const source = join(dir, entry);
    if (isHeavyFolder(source)) continue;
    await cp(source, join(destination, entry), { recursive: true, filter: (path) => !isHeavyFolder(path) });
  }
}

function isHeavyFolder(source: string): boolean {
  return /(^|[/\\])(node_modules|\.git|\.aether)$/.test(source);
}
