import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { LockfileKind } from "./sbom-model.ts";

/** A lockfile found on disk; `yarn.lock` is told apart (classic or berry) when it is read. */
export interface FoundLockfile {
  kind: LockfileKind | "yarn";
  /** Absolute path. */
  file: string;
}

const NAMES: Record<string, FoundLockfile["kind"]> = {
  "package-lock.json": "npm",
  "npm-shrinkwrap.json": "npm",
  "pnpm-lock.yaml": "pnpm",
  "yarn.lock": "yarn",
  "uv.lock": "uv",
  "poetry.lock": "poetry",
  "requirements.txt": "requirements",
  "go.mod": "go",
};

// Installed trees and tool caches hold other projects' lockfiles, not this one's.
const SKIP = new Set(["node_modules", ".git", ".hg", ".venv", "venv", "__pycache__", ".yarn", "vendor"]);

/**
 * Every lockfile Aether reads under `dir`, sorted by path, without descending into node_modules, .git
 * and the like. A folder with both package-lock.json and npm-shrinkwrap.json yields the shrinkwrap only,
 * as npm does.
 * @example await detectLockfiles("/src/monorepo") // [{ kind: "npm", file: "/src/monorepo/package-lock.json" }, …]
 */
export async function detectLockfiles(dir: string): Promise<FoundLockfile[]> {
  const found: FoundLockfile[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) await walk(join(folder, entry.name));
        continue;
      }
      const kind = NAMES[entry.name];
      if (!kind || !entry.isFile()) continue;
      if (entry.name === "package-lock.json" && names.has("npm-shrinkwrap.json")) continue;
      found.push({ kind, file: join(folder, entry.name) });
    }
  };
  await walk(dir);
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
