import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectRuntime } from "./detect-runtime.ts";
import { planBuild } from "./plan-build.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

const linux = { platform: "linux-x64" };

async function plan(files: Record<string, string>, options = linux) {
  const dir = await fixture.make(files);
  return { dir, plan: await planBuild(await detectRuntime(dir), dir, options) };
}

const expressApp = {
  "package.json": JSON.stringify({
    scripts: { start: "node server.js" },
    dependencies: { express: "^5.1.0" },
  }),
  "package-lock.json": '{"lockfileVersion": 3}',
  "server.js": "console.log('v1')",
};

describe("planBuild: deps key", () => {
  it("is the same across calls and folders for the same inputs", async () => {
    const first = await plan(expressApp);
    const again = await planBuild(await detectRuntime(first.dir), first.dir, linux);
    const elsewhere = await plan(expressApp);
    expect(first.plan.deps?.key).toMatch(/^[0-9a-f]{64}$/);
    expect(again.deps?.key).toBe(first.plan.deps?.key);
    expect(elsewhere.plan.deps?.key).toBe(first.plan.deps?.key);
  });

  it("stays when only app code changes", async () => {
    const before = await plan(expressApp);
    await writeFile(join(before.dir, "server.js"), "console.log('v2')");
    await writeFile(join(before.dir, "extra.js"), "");
    const after = await planBuild(await detectRuntime(before.dir), before.dir, linux);
    expect(after.deps?.key).toBe(before.plan.deps?.key);
  });

  it("changes with the lockfile, the platform, or the runtime version", async () => {
    const base = (await plan(expressApp)).plan.deps?.key;
    const relocked = (await plan({ ...expressApp, "package-lock.json": '{"lockfileVersion": 3, "x": 1}' }))
      .plan;
    const arm = (await plan(expressApp, { platform: "linux-arm64" })).plan;
    const pinned = JSON.stringify({ ...JSON.parse(expressApp["package.json"]), engines: { node: "24" } });
    const versioned = (await plan({ ...expressApp, "package.json": pinned })).plan;
    const keys = new Set([base, relocked.deps?.key, arm.deps?.key, versioned.deps?.key]);
    expect(keys.size).toBe(4);
  });

  it("changes with the Python requirements", async () => {
    const a = (await plan({ "requirements.txt": "flask==3.0.0\n", "app.py": "" })).plan.deps?.key;
    const b = (await plan({ "requirements.txt": "flask==3.0.3\n", "app.py": "" })).plan.deps?.key;
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });
});

describe("planBuild: node", () => {
  it("installs production deps in staging and packs the source folder as it is", async () => {
    const { plan: built } = await plan({
      ...expressApp,
      ".npmrc": "fund=false\n",
      ".aetherignore": "# local\n/.env\ntmp/\n",
    });
    expect(built.deps).toMatchObject({
      inputs: ["package.json", "package-lock.json", ".npmrc"],
      command: [["npm", "ci", "--omit=dev", "--ignore-scripts=false", "--no-audit", "--no-fund"]],
      output: { root: "node_modules", prefix: "node_modules", exclude: [] },
    });
    expect(built.app).toEqual({
      command: [],
      output: {
        root: ".",
        prefix: "",
        exclude: ["node_modules/", ".git/", ".aether/", ".aether-build/", ".env", "tmp/"],
      },
      copySource: false,
    });
    expect(built).toMatchObject({
      env: { NODE_ENV: "production" },
      start: ["node", "server.js"],
      port: 3000,
    });
  });

  it("runs a build script after a full install in a scratch copy", async () => {
    const pkg = { scripts: { build: "tsc", start: "node dist/server.js" }, dependencies: { ms: "2" } };
    const { plan: built } = await plan({ "package.json": JSON.stringify(pkg), "pnpm-lock.yaml": "" });
    expect(built.deps?.command).toEqual([["pnpm", "install", "--frozen-lockfile", "--prod"]]);
    expect(built.app.command).toEqual([
      ["pnpm", "install", "--frozen-lockfile"],
      ["pnpm", "run", "build"],
    ]);
    expect(built.app.copySource).toBe(true);
  });

  it("uses each package manager's own install", async () => {
    const pkg = JSON.stringify({ scripts: { start: "node a.js" }, dependencies: { ms: "2" } });
    const classic = (await plan({ "package.json": pkg, "yarn.lock": "# yarn lockfile v1\n", ".yarnrc": "" }))
      .plan;
    expect(classic.deps).toMatchObject({
      inputs: ["package.json", "yarn.lock", ".yarnrc"],
      command: [["yarn", "install", "--frozen-lockfile", "--production", "--non-interactive"]],
    });
    const berry = (
      await plan({
        "package.json": pkg,
        "yarn.lock": "__metadata:\n  version: 8\n",
        ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.5.0.cjs\n",
        ".yarn/releases/yarn-4.5.0.cjs": "",
      })
    ).plan;
    expect(berry.deps).toMatchObject({
      inputs: ["package.json", "yarn.lock", ".yarnrc.yml", ".yarn/releases/yarn-4.5.0.cjs"],
      command: [
        ["env", "YARN_NODE_LINKER=node-modules", "yarn", "workspaces", "focus", "--all", "--production"],
      ],
    });
    const unlocked = (await plan({ "package.json": pkg })).plan;
    expect(unlocked.deps?.command[0]?.slice(0, 2)).toEqual(["npm", "install"]);
  });

  it("builds with the tool's own full install and runner", async () => {
    const pkg = JSON.stringify({ scripts: { build: "vite build", start: "node server.js" } });
    const unlocked = (await plan({ "package.json": pkg })).plan;
    expect(unlocked.app.command).toEqual([
      ["npm", "install", "--no-package-lock", "--no-audit", "--no-fund"],
      ["npm", "run", "build"],
    ]);
    const berry = (await plan({ "package.json": pkg, "yarn.lock": "__metadata:\n" })).plan;
    expect(berry.app.command).toEqual([
      ["env", "YARN_NODE_LINKER=node-modules", "yarn", "install", "--immutable"],
      ["env", "YARN_NODE_LINKER=node-modules", "yarn", "run", "build"],
    ]);
    const classic = (await plan({ "package.json": pkg, "yarn.lock": "" })).plan;
    expect(classic.app.command.at(-1)).toEqual(["yarn", "run", "build"]);
  });

  it("has no deps layer when package.json has no dependencies", async () => {
    const { plan: built } = await plan({ "package.json": '{"scripts":{"start":"node a.js"}}' });
    expect(built.deps).toBeUndefined();
  });
});

describe("planBuild: python", () => {
  it("installs requirements into .deps with PYTHONPATH pointing there", async () => {
    const { plan: built } = await plan({
      "requirements.txt": "-r base.txt\nflask==3.0.3  # web\n",
      "base.txt": "click==8.1.7\n",
      "app.py": "",
    });
    expect(built.deps).toMatchObject({
      inputs: ["requirements.txt", "base.txt"],
      command: [
        [
          "python3",
          "-m",
          "pip",
          "install",
          "--target",
          ".deps",
          "--no-compile",
          "--disable-pip-version-check",
          "--requirement",
          "requirements.txt",
        ],
      ],
      output: { root: ".deps", prefix: ".deps", exclude: [] },
    });
    expect(built.env).toEqual({ PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1", PYTHONPATH: ".deps" });
    expect(built.app.output.exclude).toContain(".deps/");
  });

  it("skips the deps layer when requirements.txt names nothing", async () => {
    const { plan: built } = await plan({ "requirements.txt": "# stdlib only\n\n", "app.py": "" });
    expect(built.deps).toBeUndefined();
    expect(built.env.PYTHONPATH).toBeUndefined();
  });

  it("exports uv and poetry lockfiles before installing, and installs pyproject dependencies by name", async () => {
    const uv = (await plan({ "uv.lock": "", "pyproject.toml": "", "main.py": "" })).plan;
    expect(uv.deps?.inputs).toEqual(["pyproject.toml", "uv.lock"]);
    expect(uv.deps?.command.map((argv) => argv.slice(0, 2))).toEqual([
      ["uv", "export"],
      ["uv", "pip"],
    ]);
    const poetry = (await plan({ "poetry.lock": "", "pyproject.toml": "", "main.py": "" })).plan;
    expect(poetry.deps?.command[0]?.slice(0, 2)).toEqual(["poetry", "export"]);
    const pyproject = (
      await plan({ "pyproject.toml": '[project]\ndependencies = ["flask>=3"]\n', "main.py": "" })
    ).plan;
    expect(pyproject.deps?.inputs).toEqual([]);
    expect(pyproject.deps?.command[0]?.at(-1)).toBe("flask>=3");
  });
});

describe("planBuild: go, java, static", () => {
  it("builds one reproducible Go binary and packs only it", async () => {
    const { plan: built } = await plan({
      "go.mod": "module x\n\ngo 1.19\n",
      "cmd/web/main.go": "package main\n",
    });
    expect(built.deps).toBeUndefined();
    expect(built.app).toEqual({
      command: [
        [
          "env",
          "CGO_ENABLED=0",
          "go",
          "build",
          "-trimpath",
          "-buildvcs=false",
          "-ldflags=-buildid=",
          "-o",
          ".aether-build/app",
          "./cmd/web",
        ],
      ],
      output: { root: ".aether-build", prefix: "", exclude: [] },
      copySource: true,
    });
  });

  it("refuses to plan a Go build without a main package, even when a Procfile starts the app", async () => {
    const dir = await fixture.make({
      "go.mod": "module x\n",
      "lib.go": "package lib\n",
      Procfile: "web: ./app\n",
    });
    await expect(planBuild(await detectRuntime(dir), dir, linux)).rejects.toThrow(
      /go\.mod: no main package to build/,
    );
  });

  it("compiles Java sources in a stable order into a dated jar", async () => {
    const { plan: built } = await plan({
      "src/main/java/b/B.java": "package b; public class B {}",
      "src/main/java/a/App.java": "package a; public class App { public static void main(String[] x) {} }",
      "src/main/resources/app.properties": "",
    });
    expect(built.app.command).toEqual([
      [
        "javac",
        "-encoding",
        "UTF-8",
        "-d",
        ".aether-build/classes",
        "src/main/java/a/App.java",
        "src/main/java/b/B.java",
      ],
      [
        "jar",
        "--create",
        "--file",
        ".aether-build/app.jar",
        "--date=1980-01-01T00:00:02Z",
        "--main-class",
        "a.App",
        "-C",
        ".aether-build/classes",
        ".",
        "-C",
        "src/main/resources",
        ".",
      ],
    ]);
    expect(built.app.output).toEqual({ root: ".aether-build", prefix: "", exclude: ["classes/"] });
  });

  it("copies Maven runtime dependencies into lib/, keyed by pom.xml", async () => {
    const { plan: built } = await plan({
      "pom.xml": "<project/>",
      "src/main/java/App.java": "public class App { public static void main(String[] x) {} }",
    });
    expect(built.deps).toMatchObject({ inputs: ["pom.xml"], output: { root: "lib", prefix: "lib" } });
    expect(built.app.command[0]).toEqual(["mvn", "-B", "-q", "-DskipTests", "package"]);
    expect(built.start).toEqual(["java", "-cp", "app.jar:lib/*", "App"]);
  });

  it("adds the static server to a scratch copy of the site", async () => {
    const { plan: built } = await plan({ "public/index.html": "" });
    expect(built.deps).toBeUndefined();
    expect(built.app.copySource).toBe(true);
    expect(built.app.command).toEqual([]);
    expect(built.app.files?.map((f) => f.path)).toEqual(["aether-static-server.mjs"]);
    expect(built.app.files?.[0]?.content).toContain("createServer");
    expect(built.start).toEqual(["node", "aether-static-server.mjs", "public"]);
  });
});
