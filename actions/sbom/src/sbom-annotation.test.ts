import { describe, expect, it } from "vitest";
import { LockfileError } from "../../../core/sbom/lockfile-error.ts";
import { sbomAnnotation } from "./sbom-annotation.ts";

describe("sbomAnnotation", () => {
  it("points at a lockfile error's file and line, relative to the workspace", () => {
    const error = new LockfileError({
      kind: "syntax",
      file: "/w/app/package-lock.json",
      line: 12,
      why: "bad",
    });
    expect(sbomAnnotation(error, "/w")).toEqual({ file: "app/package-lock.json", startLine: 12 });
    expect(sbomAnnotation(new Error("wrapped", { cause: error }), "/w/")).toEqual({
      file: "app/package-lock.json",
      startLine: 12,
    });
  });

  it("has no line when the error has none, and nothing for other errors", () => {
    const missing = new LockfileError({ kind: "missing", file: "/w/app", why: "none" });
    expect(sbomAnnotation(missing, "/w")).toEqual({ file: "app" });
    expect(sbomAnnotation(new Error("network"), "/w")).toEqual({});
  });
});
