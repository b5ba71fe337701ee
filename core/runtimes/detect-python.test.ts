import { afterEach, describe, expect, it } from "vitest";
import { detectPython } from "./detect-python.ts";
import { NoStartCommandError } from "./detection-errors.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

async function detect(files: Record<string, string>, procfileWeb?: string) {
  const dir = await fixture.make(files);
  return detectPython({ dir, procfileWeb, hasCommand: undefined });
}

describe("detectPython", () => {
  it("is undefined without Python files", async () => {
    expect(await detect({ "README.md": "" })).toBeUndefined();
  });

  it.each([
    [{ "requirements.txt": "flask==3.0.3\n" }, "pip", "requirements.txt"],
    [
      { "uv.lock": "version = 1\n", "pyproject.toml": "[project]\n", "requirements.txt": "" },
      "uv",
      "uv.lock",
    ],
    [{ "poetry.lock": "", "pyproject.toml": "" }, "poetry", "poetry.lock"],
    [{ "pyproject.toml": '[project]\ndependencies = ["flask"]\n' }, "pip", undefined],
    [{}, "none", undefined],
  ])("%o → %s", async (files, tool, lockfile) => {
    const detection = await detect({ "app.py": "", ...files });
    expect(detection).toMatchObject({ runtime: "python", tool, port: 8000 });
    expect(detection?.lockfile).toBe(lockfile);
  });

  it("notes that pyproject.toml alone pins nothing", async () => {
    expect((await detect({ "pyproject.toml": "", "main.py": "" }))?.summary).toContain("⚠ no lockfile");
  });

  it("starts app.py, then main.py, unless the Procfile says otherwise", async () => {
    expect(await detect({ "app.py": "", "main.py": "" })).toMatchObject({
      start: ["python3", "app.py"],
      startSource: "convention",
    });
    expect(await detect({ "requirements.txt": "", "main.py": "" })).toMatchObject({
      start: ["python3", "main.py"],
    });
    expect(
      await detect({ "requirements.txt": "", "main.py": "" }, "python3 -m http.server $PORT"),
    ).toMatchObject({
      start: ["sh", "-c", 'export PATH="$PWD/.deps/bin:$PATH"; exec python3 -m http.server $PORT'],
      startSource: "Procfile web",
    });
  });

  it("takes the version from .python-version, else requires-python", async () => {
    expect((await detect({ "app.py": "", ".python-version": "3.12\n" }))?.version).toBe("3.12");
    expect(
      (await detect({ "app.py": "", "pyproject.toml": '[project]\nrequires-python = ">=3.10"\n' }))?.version,
    ).toBe(">=3.10");
  });

  it("fails when nothing starts the app", async () => {
    await expect(detect({ "requirements.txt": "flask\n", "wsgi.py": "" })).rejects.toThrow(
      NoStartCommandError,
    );
    await expect(detect({ "requirements.txt": "flask\n" })).rejects.toThrow(/looked for app.py, main.py/);
  });
});
