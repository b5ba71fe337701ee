import { describe, expect, it } from "vitest";
import { envOption, intOption, parseOptions } from "./parse-options.ts";

describe("parseOptions", () => {
  it("accepts declared and common options", () => {
    const { values, positionals } = parseOptions("deploy", ["dir", "--json", "--port", "5000"], {
      port: { type: "string" },
    });
    expect(values).toMatchObject({ json: true, port: "5000" });
    expect(positionals).toEqual(["dir"]);
  });

  it("names the command in errors about unknown options", () => {
    expect(() => parseOptions("deploy", ["--prot", "1"], {})).toThrow(/aether deploy: .*--prot/);
  });

  it("validates numbers and environment names", () => {
    expect(intOption("logs", "tail", "20")).toBe(20);
    expect(intOption("logs", "tail", undefined)).toBeUndefined();
    expect(() => intOption("logs", "tail", "-3")).toThrow("--tail must be a positive whole number");
    expect(envOption("deploy", undefined)).toBe("production");
    expect(envOption("deploy", "pr-42")).toBe("pr-42");
    expect(() => envOption("deploy", "Prod/../x")).toThrow("not a valid environment name");
  });
});
