/**
 * The rows of the first Markdown table under the heading that ends with `heading` (any level), each cell as
 * the list of its `backticked` tokens: documentation tables are the one list, tests compare against them.
 */
export function documentedTable(markdown: string, heading: string): string[][][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.trimEnd().endsWith(heading));
  if (start < 0) throw new Error(`no heading "${heading}" in the document`);
  const rows: string[][][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (/^#+ /.test(line)) break;
    if (!line.startsWith("|")) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    if (/^\|[\s:|-]+\|$/.test(line.trim())) continue;
    const cells = line.trim().slice(1, -1).split("|");
    rows.push(cells.map((cell) => [...cell.matchAll(/`([^`]*)`/g)].map((m) => m[1]!)));
  }
  return rows.slice(1); // the header row
}
