import { describe, expect, it } from "vitest";
import { errorAnnotation } from "./error-annotation.ts";

class FileError extends Error {
  readonly file: string;
  constructor(file: string) {
    super("bad file");
    this.file = file;
  }
}

describe("errorAnnotation", () => {
  it("points at the file and line of an error or its cause, relative to the workspace", () => {
    const cause = new FileError("/work/repo/app/.aetherignore line 3");
    expect(errorAnnotation(new Error("wrapped", { cause }), "/work/repo")).toEqual({
      file: "app/.aetherignore",
      startLine: 3,
    });
    expect(errorAnnotation(new FileError("/work/repo/package.json"), "/work/repo/")).toEqual({
      file: "package.json",
    });
  });

  it("has nothing to point at for other errors", () => {
    expect(errorAnnotation(new Error("network down"), "/w")).toEqual({});
    expect(errorAnnotation("a string", "/w")).toEqual({});
  });
});
