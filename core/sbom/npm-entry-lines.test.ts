import { describe, expect, it } from "vitest";
import { npmEntryLines } from "./npm-entry-lines.ts";

describe("npmEntryLines", () => {
  it("finds the entries of the packages section only, with their lines", () => {
    const text = [
      "{",
      '  "lockfileVersion": 2,',
      '  "packages": {',
      '    "": {',
      '      "dependencies": {',
      '        "ms": "2.1.3"',
      "      }",
      "    },",
      '    "node_modules/ms": {',
      '      "version": "2.1.3"',
      "    }",
      "  },",
      '  "dependencies": {',
      '    "ms": {',
      '      "version": "2.1.3"',
      "    }",
      "  }",
      "}",
    ].join("\n");
    expect([...npmEntryLines(text)]).toEqual([
      ["", 4],
      ["node_modules/ms", 9],
    ]);
  });

  it("finds nothing in minified JSON", () => {
    expect(npmEntryLines('{"packages":{"node_modules/ms":{"version":"1"}}}').size).toBe(0);
  });
});
