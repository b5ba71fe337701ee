import { InvalidProjectFileError } from "./detection-errors.ts";

const LINE = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/;

/**
 * Reads a Procfile (`name: command` per line, `#` comments) into process types and their commands.
 * `file` names the file in error messages.
 * @example parseProcfile("web: python3 app.py\n", "app/Procfile") // { web: "python3 app.py" }
 */
export function parseProcfile(text: string, file: string): Record<string, string> {
  const processes: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = LINE.exec(line);
    const where = `${file} line ${index + 1}`;
    if (!match) {
      throw new InvalidProjectFileError(
        where,
        `"${line}" is not "name: command"`,
        `Write it as "web: <command>".`,
      );
    }
    const [, name = "", command = ""] = match;
    if (command.trim() === "") {
      throw new InvalidProjectFileError(
        where,
        `process "${name}" has no command`,
        `Write "${name}: <command>".`,
      );
    }
    processes[name] = command.trim();
  });
  return processes;
}
