import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const PACKAGE_MAIN = /^\s*package\s+main\b/m;

/**
 * The package `go build` should build: "." when the module root holds `package main`, else the one
 * `cmd/NAME` folder that does (a common layout). Undefined when there is none, or several in cmd/.
 */
export async function findGoMainPackage(dir: string): Promise<string | undefined> {
  if (await holdsMainPackage(dir)) return ".";
  const commands = await readdir(join(dir, "cmd"), { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of commands.filter((item) => item.isDirectory()).sort(byName)) {
    if (await holdsMainPackage(join(dir, "cmd", entry.name))) found.push(`./cmd/${entry.name}`);
  }
  return found.length === 1 ? found[0] : undefined;
}

async function holdsMainPackage(folder: string): Promise<boolean> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".go") || entry.name.endsWith("_test.go")) continue;
    if (PACKAGE_MAIN.test(await readFile(join(folder, entry.name), "utf8"))) return true;
  }
  return false;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
