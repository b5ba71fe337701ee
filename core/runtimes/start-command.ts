/** Words a command may hold and still be run without a shell: no quotes, no expansions, no operators. */
const PLAIN_WORD = /^[\w./:@%+,=-]+$/;
/** Characters that make a command more than one program (lists, pipes, redirects, subshells). */
const SHELL_OPERATORS = /[;&|<>()`\n]|\$\(/;
/** Leading `NAME=value` words, which `exec` must follow rather than precede. */
const LEADING_ASSIGNMENTS = /^((?:[A-Za-z_]\w*=[^\s'"$]*\s+)*)([\s\S]*)$/;

export interface StartCommandOptions {
  /** Programs run directly, without a shell, when the command is plain words (`node`, `python3`). */
  direct: readonly string[];
  /** Folder (relative to the release folder) put first on PATH, for tools installed with the deps. */
  binDir?: string;
}

/**
 * Turns a start command written for a shell (package.json `scripts.start`, a Procfile `web:` line) into
 * argv run from the release folder without npm: plain `node server.js` runs directly; anything else runs
 * under `sh -c`, with `exec` where possible so the app itself receives the target's SIGTERM.
 * @example startCommand("node server.js", { direct: ["node"] }) // ["node", "server.js"]
 * @example startCommand("next start", { direct: ["node"], binDir: "node_modules/.bin" })
 *   // ["sh", "-c", 'export PATH="$PWD/node_modules/.bin:$PATH"; exec next start']
 */
export function startCommand(command: string, options: StartCommandOptions): string[] {
  const text = command.trim();
  const words = text.split(/\s+/);
  const first = words[0] ?? "";
  const plain = words.every((word) => PLAIN_WORD.test(word)) && !first.includes("=");
  if (plain && (options.direct.includes(first) || options.binDir === undefined)) return words;
  const pathSetup = options.binDir === undefined ? "" : `export PATH="$PWD/${options.binDir}:$PATH"; `;
  if (SHELL_OPERATORS.test(text)) return ["sh", "-c", `${pathSetup}${text}`];
  const [, assignments = "", rest = ""] = LEADING_ASSIGNMENTS.exec(text) ?? [];
  return ["sh", "-c", `${pathSetup}${assignments}exec ${rest}`];
}

/** The Procfile's `web:` command as a start choice, when there is one: it wins over every convention. */
export function procfileStart(
  procfileWeb: string | undefined,
  options: StartCommandOptions,
): { argv: string[]; text: string; source: string } | undefined {
  if (procfileWeb === undefined) return undefined;
  return { argv: startCommand(procfileWeb, options), text: procfileWeb, source: "Procfile web" };
}
