import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadAllCommands, loadCommand } from "./index.ts";

const commands = await loadAllCommands();
const reference = await readFile(new URL("../../docs/config-reference.md", import.meta.url), "utf8");

/** The rows of the reference's command table that belong to one command (its row and the rows with an empty first cell after it). */
function referenceRows(name: string): string {
  const lines = reference.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| \`${name}`));
  if (start === -1) return "";
  const rows = [lines[start]];
  for (const line of lines.slice(start + 1)) {
    if (!/^\| +\|/.test(line)) break;
    rows.push(line);
  }
  return rows.join("\n");
}

describe("every command's flags", () => {
  for (const command of commands) {
    it(`${command.name}: each flag is in its --help and in docs/config-reference.md`, () => {
      const rows = referenceRows(command.name);
      expect(rows, `docs/config-reference.md has no row for ${command.name}`).not.toBe("");
      for (const [flag, spec] of Object.entries(command.options)) {
        expect(command.help).toContain(`--${flag}`);
        expect(rows).toContain(`--${flag}`);
        if ("short" in spec && spec.short) expect(command.help).toContain(`-${spec.short}`);
      }
    });
  }
});

describe("the command registry", () => {
  it("loads each command by the name it answers to, and nothing for other words", async () => {
    for (const command of commands) expect((await loadCommand(command.name))?.name).toBe(command.name);
    expect(await loadCommand("constructor")).toBeUndefined();
    expect(await loadCommand(undefined)).toBeUndefined();
  });
});
