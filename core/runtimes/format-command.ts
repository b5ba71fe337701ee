/** Arguments longer than this are shown by size: the static runtime passes a whole file as one. */
const MAX_SHOWN = 80;

/**
 * One line for people that shows what a plan's command runs: arguments with spaces, quotes or line
 * breaks are quoted, very long ones are replaced by their size so a progress line stays one line.
 * @example formatCommand(["node", "-e", "require('node:fs')…", "server.mjs", "<2 kB of source>"])
 *   // node -e "require('node:fs')…" server.mjs <2.0 kB>
 */
export function formatCommand(argv: readonly string[]): string {
  return argv.map(formatArgument).join(" ");
}

function formatArgument(argument: string): string {
  if (argument.length > MAX_SHOWN) {
    return `<${(Buffer.byteLength(argument) / 1000).toFixed(1)} kB>`;
  }
  if (argument === "") return '""';
  return /[\s"'$`\\]/.test(argument) ? JSON.stringify(argument) : argument;
}
