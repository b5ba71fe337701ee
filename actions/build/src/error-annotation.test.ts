import { describe, expect, it } from "vitest";
import { LockfileError } from "../../../core/sbom/lockfile-error.ts";
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

  it("points at a lockfile error's own line, and at the file alone when it has none", () => {
    const error = new LockfileError({
      kind: "syntax",
      file: "/w/app/package-lock.json",
      line: 12,
      why: "bad",
    });
    expect(errorAnnotation(new Error("wrapped", { cause: error }), "/w/")).toEqual({
      file: "app/package-lock.json",
      startLine: 12,
    });
    const missing = new LockfileError({ kind: "missing", file: "/w/app", why: "none" });
    expect(errorAnnotation(missing, "/w")).toEqual({ file: "app" });
  });

  it("has nothing to point at for other errors", () => {
    expect(errorAnnotation(new Error("network down"), "/w")).toEqual({});
    expect(errorAnnotation("a string", "/w")).toEqual({});
  });
});
