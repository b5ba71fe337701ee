import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectRuntime } from "./detect-runtime.ts";
import { initTemplate } from "./init-template.ts";
import { listTemplates } from "./list-templates.ts";
import { DestinationNotEmptyError, UnknownTemplateError } from "./template-errors.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aether-init-"));
  folders.push(dir);
  return dir;
}

describe("listTemplates", () => {
  it("lists the five examples", async () => {
    expect(await listTemplates(EXAMPLES)).toEqual(["go", "java", "node-express", "python", "static"]);
  });

  it("is empty for a missing folder", async () => {
    expect(await listTemplates(join(await tempFolder(), "nope"))).toEqual([]);
  });
});

describe("initTemplate", () => {
  it("copies an example into a new folder that then detects as its runtime", async () => {
    const destination = join(await tempFolder(), "my-app");
    const result = await initTemplate({ template: "python", destination, examplesDir: EXAMPLES });
    expect(result).toEqual({
      template: "python",
      destination,
      files: ["Procfile", "README.md", "app.py", "requirements.txt"],
    });
    expect(await readFile(join(destination, "Procfile"), "utf8")).toBe("web: python3 app.py\n");
    expect((await detectRuntime(destination)).runtime).toBe("python");
  });

  it("accepts an existing empty folder and leaves installed or built files behind", async () => {
    const examples = await tempFolder();
    await mkdir(join(examples, "demo", "node_modules", "ms"), { recursive: true });
    await mkdir(join(examples, "demo", "src"), { recursive: true });
    await writeFile(join(examples, "demo", "node_modules", "ms", "index.js"), "");
    await writeFile(join(examples, "demo", "src", "server.js"), "");
    const destination = await tempFolder();
    const result = await initTemplate({ template: "demo", destination, examplesDir: examples });
    expect(result.files).toEqual(["src/server.js"]);
  });

  it("refuses a destination that holds anything, and changes nothing in it", async () => {
    const destination = await tempFolder();
    await writeFile(join(destination, "app.py"), "mine");
    const attempt = initTemplate({ template: "python", destination, examplesDir: EXAMPLES });
    await expect(attempt).rejects.toThrow(DestinationNotEmptyError);
    await expect(initTemplate({ template: "python", destination, examplesDir: EXAMPLES })).rejects.toThrow(
      `${destination} is not empty: choose a new or empty folder`,
    );
    expect(await readFile(join(destination, "app.py"), "utf8")).toBe("mine");
    await expect(
      initTemplate({ template: "python", destination: join(destination, "app.py"), examplesDir: EXAMPLES }),
    ).rejects.toThrow(/app\.py is a file/);
  });

  it("lists the available templates for an unknown name", async () => {
    const destination = join(await tempFolder(), "x");
    const attempt = initTemplate({ template: "rails", destination, examplesDir: EXAMPLES });
    await expect(attempt).rejects.toThrow(UnknownTemplateError);
    await expect(initTemplate({ template: "../core", destination, examplesDir: EXAMPLES })).rejects.toThrow(
      'unknown template "../core": choose one of go, java, node-express, python, static',
    );
  });
});
