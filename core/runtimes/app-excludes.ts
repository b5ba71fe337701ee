import { join } from "node:path";
import { InvalidProjectFileError } from "./detection-errors.ts";
import { readSourceFile } from "./read-source-file.ts";

/** Never part of the app layer: installed deps (their own layer), history, and Aether's own state. */
export const DEFAULT_APP_EXCLUDES = ["node_modules/", ".git/", ".aether/", ".aether-build/"];

/**
 * What the app layer leaves out: the defaults, the runtime's `extra` (".deps/", "__pycache__/" …), and
 * each line of `.aetherignore`: a path relative to the folder ("secrets.json", "docs/drafts/") or a folder
 * name at any depth ("tmp/"). Blank lines and `#` comments are skipped and a leading `/` is dropped.
 * Patterns (`*`, `?`, `[`), negations (`!`) and `..` are refused with an error naming the line, rather
 * than silently packing files the user meant to leave out.
 */
export async function appExcludes(dir: string, extra: readonly string[] = []): Promise<string[]> {
  const text = (await readSourceFile(dir, ".aetherignore")) ?? "";
  const rules: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const rule = line.replace(/^\/+/, "").replace(/^(\.\/)+/, "");
    const where = `${join(dir, ".aetherignore")} line ${index + 1}`;
    if (/[*?[\]!]/.test(line)) {
      throw new InvalidProjectFileError(
        where,
        `"${line}" is a pattern; .aetherignore takes plain paths and folder names`,
        `List the paths themselves ("logs/", "config/local.json").`,
      );
    }
    const body = rule.endsWith("/") ? rule.slice(0, -1) : rule;
    if (body.split("/").some((part) => part === "" || part === "." || part === "..")) {
      throw new InvalidProjectFileError(
        where,
        `"${line}" is not a path inside the app folder`,
        "Remove the line.",
      );
    }
    rules.push(rule);
  });
  return [...new Set([...DEFAULT_APP_EXCLUDES, ...extra, ...rules])];
}
