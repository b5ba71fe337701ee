/**
 * The two fields of pyproject.toml's `[project]` table that Aether uses. Only this narrow subset of TOML
 * is read (quoted strings, one array of strings), which is how these fields are written in practice.
 */
export interface Pyproject {
  dependencies: string[];
  requiresPython?: string;
}

const TABLE_HEADER = /^\s*\[/;
const STRING = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;

/** Reads `[project] dependencies` and `requires-python` from pyproject.toml text. */
export function readPyproject(text: string): Pyproject {
  const table = projectTable(text);
  const requires = /^\s*requires-python\s*=\s*(?:"([^"]*)"|'([^']*)')/m.exec(table);
  const requiresPython = requires?.[1] ?? requires?.[2];
  const start = /^\s*dependencies\s*=\s*\[/m.exec(table);
  const dependencies: string[] = [];
  if (start) {
    const rest = table.slice(start.index + start[0].length);
    const body = rest.slice(0, closingBracket(rest));
    for (const match of body.matchAll(STRING)) dependencies.push(match[1] ?? match[2] ?? "");
  }
  return { dependencies, ...(requiresPython === undefined ? {} : { requiresPython }) };
}

function projectTable(text: string): string {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((line) => /^\s*\[project\]\s*(#.*)?$/.test(line));
  if (begin < 0) return "";
  const after = lines.slice(begin + 1);
  const end = after.findIndex((line) => TABLE_HEADER.test(line));
  return (end < 0 ? after : after.slice(0, end)).join("\n");
}

/** Index of the `]` closing an array, skipping brackets inside strings (extras like "pkg[extra]"). */
function closingBracket(text: string): number {
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === "\\" && quote === '"') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "#") index = text.indexOf("\n", index) < 0 ? text.length : text.indexOf("\n", index);
    else if (char === "]") return index;
  }
  return text.length;
}
