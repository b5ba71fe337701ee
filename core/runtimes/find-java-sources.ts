import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";

/** Folders never searched for sources: dependencies, build output, and hidden folders. */
const SKIPPED = new Set(["node_modules", "target", "build", "out", "classes"]);
/** Enough for any app Aether builds with javac; keeps a mistaken scan of a huge tree short. */
const MAX_FILES = 20_000;

/**
 * The .java files of an app, relative to `dir` and sorted (so javac sees the same argv everywhere):
 * those under src/main/java when it exists (Maven's layout), else those anywhere under `dir`.
 */
export async function findJavaSources(dir: string): Promise<string[]> {
  const mavenRoot = join("src", "main", "java");
  const underMaven = await walk(dir, mavenRoot);
  return (underMaven.length > 0 ? underMaven : await walk(dir, "")).sort();
}

/**
 * The class to run: the one declaring `static void main(`, preferring App or Main when several do, with
 * its package. Undefined when no source has a main method.
 */
export async function findMainClass(dir: string, sources: readonly string[]): Promise<string | undefined> {
  const candidates: string[] = [];
  for (const source of sources) {
    const text = await readFile(join(dir, source), "utf8");
    if (!/\bstatic\s+(?:final\s+)?void\s+main\s*\(/.test(text)) continue;
    const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
    const name = basename(source, ".java");
    candidates.push(pkg === undefined ? name : `${pkg}.${name}`);
  }
  const preferred = candidates.find((item) => /(?:^|\.)(?:App|Main)$/.test(item));
  return preferred ?? candidates[0];
}

async function walk(dir: string, relative: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [relative];
  while (pending.length > 0 && found.length < MAX_FILES) {
    const folder = pending.pop()!;
    const entries = await readdir(join(dir, folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory() && !entry.name.startsWith(".") && !SKIPPED.has(entry.name)) pending.push(path);
      else if (entry.isFile() && entry.name.endsWith(".java")) found.push(path);
    }
  }
  return found;
}
