import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BUILD_INPUTS, BUILD_OUTPUTS } from "./action-io.ts";

describe("the build action's contract", () => {
  it("declares in action.yml exactly the inputs and outputs the code reads and writes", async () => {
    const action = parse(await readFile(new URL("../action.yml", import.meta.url), "utf8")) as {
      inputs: Record<string, { description: string }>;
      outputs: Record<string, { description: string }>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs).sort()).toEqual([...BUILD_INPUTS].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...BUILD_OUTPUTS].sort());
    for (const entry of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(entry.description.length).toBeGreaterThan(10);
    }
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });
});
