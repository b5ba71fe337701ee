import { describe, expect, it } from "vitest";
import { formatCommand } from "./format-command.ts";
import { STATIC_SERVER_SOURCE } from "./static-server-source.ts";

describe("formatCommand", () => {
  it("joins plain arguments as they are", () => {
    expect(formatCommand(["npm", "ci", "--omit=dev"])).toBe("npm ci --omit=dev");
  });

  it("quotes arguments a shell would split or expand, and empty ones", () => {
    expect(formatCommand(["sh", "-c", "exec next start", ""])).toBe('sh -c "exec next start" ""');
    expect(formatCommand(["echo", "$HOME"])).toBe('echo "$HOME"');
  });

  it("shows a long argument by its size and escapes line breaks", () => {
    const shown = formatCommand(["node", "-e", "x", "aether-static-server.mjs", STATIC_SERVER_SOURCE]);
    expect(shown).toMatch(/^node -e x aether-static-server\.mjs <\d+\.\d kB>$/);
    expect(formatCommand(["a\nb"])).toBe(String.raw`"a\nb"`);
  });
});
