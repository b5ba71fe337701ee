/**
 * The line of each entry key in a v2/v3 package-lock.json's `packages` object (npm always writes it with
 * two-space indentation, so entries are the `    "key": {` lines of that section). One native regex pass
 * finds the keys and newlines are counted between them, which is several times faster than visiting
 * every line in JavaScript; a minified lockfile simply yields no lines.
 */
export function npmEntryLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const start = text.indexOf('\n  "packages": {');
  if (start === -1) return lines;
  // v2 lockfiles repeat every package in a v1-style `dependencies` section after `packages`.
  const after = text.indexOf('\n  "', start + 1);
  const end = after === -1 ? text.length : after;
  const entry = /\n {4}"([^"\n]*)": \{/g;
  entry.lastIndex = start;
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < start; at = text.indexOf("\n", at + 1)) line++;
  let counted = start;
  for (let match = entry.exec(text); match !== null && match.index < end; match = entry.exec(text)) {
    for (
      let at = text.indexOf("\n", counted + 1);
      at !== -1 && at <= match.index;
      at = text.indexOf("\n", at + 1)
    ) {
      line++;
      counted = at;
    }
    lines.set(match[1]!, line + 1);
  }
  return lines;
}
