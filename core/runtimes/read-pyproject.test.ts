import { describe, expect, it } from "vitest";
import { readPyproject } from "./read-pyproject.ts";

describe("readPyproject", () => {
  it("reads [project] dependencies across lines, with extras, markers and comments", () => {
    const text = `[build-system]
requires = ["hatchling"]

[project]
name = "demo"
requires-python = ">=3.11"
dependencies = [
  "flask>=3.0",  # the web framework
  'uvicorn[standard]==0.30.1',
  "tomli; python_version < '3.11'",
]

[project.optional-dependencies]
dev = ["pytest"]
`;
    expect(readPyproject(text)).toEqual({
      dependencies: ["flask>=3.0", "uvicorn[standard]==0.30.1", "tomli; python_version < '3.11'"],
      requiresPython: ">=3.11",
    });
  });

  it("ignores dependencies outside [project]", () => {
    const text = `[tool.poetry.dependencies]\ndependencies = ["nope"]\n[project]\nname = "x"\n`;
    expect(readPyproject(text)).toEqual({ dependencies: [] });
  });

  it("reads an inline list and gives nothing without a [project] table", () => {
    expect(readPyproject('[project]\ndependencies = ["a", "b"]\n').dependencies).toEqual(["a", "b"]);
    expect(readPyproject("")).toEqual({ dependencies: [] });
  });
});
