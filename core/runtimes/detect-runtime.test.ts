import { join, relative, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectRuntime } from "./detect-runtime.ts";
import {
  BuildToolMissingError,
  InvalidProjectFileError,
  NoRuntimeDetectedError,
  SourceFolderNotFoundError,
} from "./detection-errors.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

describe("detectRuntime on the examples", () => {
  it.each([
    ["node-express", 'node >=20 · npm · start "node server.js" · port 3000', "package.json scripts.start"],
    ["python", 'python · pip · start "python3 app.py" · port 8000', "Procfile web"],
    ["go", 'go 1.19 · go · start "./app" · port 8080', "convention"],
    ["java", 'java · javac · start "java -jar app.jar" · port 8080', "convention"],
    ["static", 'static · start "node aether-static-server.mjs public" · port 8080', "convention"],
  ])("%s", async (name, summary, startSource) => {
    const detection = await detectRuntime(join(EXAMPLES, name));
    expect(detection.summary).toBe(summary);
    expect(detection.startSource).toBe(startSource);
    expect(detection.healthPath).toBe("/health");
  });
});

describe("detectRuntime precedence", () => {
  const everything = {
    "package.json": JSON.stringify({ scripts: { start: "node server.js" } }),
    "go.mod": "module x\n\ngo 1.19\n",
    "main.go": "package main\n",
    "App.java": "class App { public static void main(String[] a) {} }",
    "requirements.txt": "",
    "app.py": "",
    "index.html": "",
  };

  it("goes node, go, java, python, static", async () => {
    const order = ["package.json", "go.mod", "App.java", "requirements.txt", "index.html"];
    const expected = ["node", "go", "java", "python", "static"];
    for (const [index, runtime] of expected.entries()) {
      const removed = new Set([...order.slice(0, index), ...(runtime === "static" ? ["app.py"] : [])]);
      const files = Object.fromEntries(Object.entries(everything).filter(([path]) => !removed.has(path)));
      expect(
        (await detectRuntime(await fixture.make(files))).runtime,
        `without ${[...removed].join(", ")}`,
      ).toBe(runtime);
    }
  });

  it("lets a Procfile web line win for the start command of any runtime", async () => {
    const dir = await fixture.make({ ...everything, Procfile: "worker: node worker.js\nweb: node web.js\n" });
    expect(await detectRuntime(dir)).toMatchObject({
      runtime: "node",
      start: ["node", "web.js"],
      startSource: "Procfile web",
    });
    const staticDir = await fixture.make({ "index.html": "", Procfile: "web: node serve.js\n" });
    expect((await detectRuntime(staticDir)).start).toEqual(["node", "serve.js"]);
  });

  it("uses the convention when the Procfile has no web line", async () => {
    const dir = await fixture.make({ "app.py": "", Procfile: "worker: python3 worker.py\n" });
    expect(await detectRuntime(dir)).toMatchObject({
      start: ["python3", "app.py"],
      startSource: "convention",
    });
  });

  it("reports a malformed Procfile with its path", async () => {
    const dir = await fixture.make({ "app.py": "", Procfile: "web python3 app.py\n" });
    await expect(detectRuntime(dir)).rejects.toThrow(InvalidProjectFileError);
    await expect(detectRuntime(dir)).rejects.toThrow(`${join(dir, "Procfile")} line 1`);
  });
});

describe("detectRuntime errors", () => {
  it("says when the folder does not exist, or is a file", async () => {
    const dir = await fixture.make({ "notes.txt": "" });
    const missing = join(dir, "nope");
    await expect(detectRuntime(missing)).rejects.toThrow(SourceFolderNotFoundError);
    await expect(detectRuntime(missing)).rejects.toThrow(`source folder ${missing} does not exist`);
    await expect(detectRuntime(join(dir, "notes.txt"))).rejects.toThrow(/notes\.txt is a file, not a folder/);
  });

  it("lists what it looked for, and where, when nothing matches", async () => {
    const dir = await fixture.make({ "README.md": "# hi", "docs/index.html": "" });
    const error = await detectRuntime(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoRuntimeDetectedError);
    const message = (error as Error).message;
    expect(message).toContain(`no runtime detected in ${dir}`);
    for (const marker of [
      "package.json (node)",
      "go.mod (go)",
      "pom.xml or *.java files (java)",
      "requirements.txt",
      "uv.lock",
      "poetry.lock",
      "pyproject.toml",
      "index.html in the folder itself, public/, dist/, build/, site/, _site/ (static)",
    ]) {
      expect(message).toContain(marker);
    }
    expect((error as NoRuntimeDetectedError).lookedFor).toHaveLength(5);
  });

  it("checks the build tool is installed when given a hasCommand", async () => {
    const dir = await fixture.make({ "go.mod": "module x\n", "main.go": "package main\n" });
    const without = async (name: string) => name !== "go";
    await expect(detectRuntime(dir, { hasCommand: without })).rejects.toThrow(BuildToolMissingError);
    await expect(detectRuntime(dir, { hasCommand: without })).rejects.toThrow(
      /needs go \("go"\), which is not on PATH\. Install Go/,
    );
    expect((await detectRuntime(dir, { hasCommand: async () => true })).tool).toBe("go");
    const site = await fixture.make({ "index.html": "" });
    expect((await detectRuntime(site, { hasCommand: async () => false })).runtime).toBe("static");
  });

  it("detects a folder given with a relative path", async () => {
    const dir = await fixture.make({ "index.html": "" });
    expect((await detectRuntime(relative(process.cwd(), dir))).runtime).toBe("static");
  });
});
