import { afterEach, describe, expect, it } from "vitest";
import { detectNode } from "./detect-node.ts";
import { InvalidProjectFileError, NoStartCommandError } from "./detection-errors.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

const pkg = (fields: Record<string, unknown> = {}): string =>
  JSON.stringify({
    name: "demo",
    scripts: { start: "node server.js" },
    dependencies: { ms: "^2" },
    ...fields,
  });

async function detect(files: Record<string, string>, procfileWeb?: string) {
  const dir = await fixture.make(files);
  return detectNode({ dir, procfileWeb, hasCommand: undefined });
}

describe("detectNode: package manager", () => {
  it("is undefined without a package.json", async () => {
    expect(await detect({ "server.js": "" })).toBeUndefined();
  });

  it.each([
    ["package-lock.json", "{}", "npm"],
    ["npm-shrinkwrap.json", "{}", "npm"],
    ["pnpm-lock.yaml", "lockfileVersion: '9.0'\n", "pnpm"],
    ["yarn.lock", '# yarn lockfile v1\n\nms@^2:\n  version "2.1.3"\n', "yarn"],
    [
      "yarn.lock",
      '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"ms@npm:^2":\n  version: 2.1.3\n',
      "yarn-berry",
    ],
  ])("%s → %s", async (lockfile, text, tool) => {
    const detection = await detect({ "package.json": pkg(), [lockfile]: text });
    expect(detection).toMatchObject({ runtime: "node", tool, lockfile });
    expect(detection?.summary).not.toContain("⚠");
  });

  it("falls back to npm without a lockfile, and says so in the summary", async () => {
    const detection = await detect({ "package.json": pkg() });
    expect(detection?.tool).toBe("npm");
    expect(detection?.lockfile).toBeUndefined();
    expect(detection?.summary).toContain("⚠ no lockfile");
  });

  it("follows packageManager when several lockfiles exist, and notes it", async () => {
    const detection = await detect({
      "package.json": pkg({ packageManager: "pnpm@9.12.0" }),
      "package-lock.json": "{}",
      "pnpm-lock.yaml": "",
    });
    expect(detection).toMatchObject({ tool: "pnpm", lockfile: "pnpm-lock.yaml" });
    expect(detection?.summary).toContain(
      "several lockfiles (package-lock.json, pnpm-lock.yaml): using pnpm-lock.yaml",
    );
  });

  it("takes the version from engines.node, else .nvmrc", async () => {
    expect((await detect({ "package.json": pkg({ engines: { node: ">=22" } }) }))?.version).toBe(">=22");
    expect((await detect({ "package.json": pkg(), ".nvmrc": "v24.1.0\n" }))?.version).toBe("24.1.0");
  });

  it("refuses a package.json that is not valid JSON, naming the file", async () => {
    await expect(detect({ "package.json": "{ name: demo" })).rejects.toThrow(InvalidProjectFileError);
    await expect(detect({ "package.json": "{ name: demo" })).rejects.toThrow(/package\.json: not valid JSON/);
    await expect(detect({ "package.json": '{"scripts": {"start": 1}}' })).rejects.toThrow(
      /"scripts.start" is not a string/,
    );
  });
});

describe("detectNode: start command", () => {
  it("uses scripts.start, run directly when it is a plain node command", async () => {
    const detection = await detect({ "package.json": pkg(), "package-lock.json": "{}" });
    expect(detection).toMatchObject({
      start: ["node", "server.js"],
      startSource: "package.json scripts.start",
      port: 3000,
      healthPath: "/health",
      summary: 'node · npm · start "node server.js" · port 3000',
    });
  });

  it("lets the Procfile win over scripts.start", async () => {
    const detection = await detect({ "package.json": pkg(), "package-lock.json": "{}" }, "node worker.js");
    expect(detection).toMatchObject({ start: ["node", "worker.js"], startSource: "Procfile web" });
  });

  it("runs other start scripts through sh with node_modules/.bin on PATH", async () => {
    const detection = await detect({ "package.json": pkg({ scripts: { start: "next start" } }) });
    expect(detection?.start).toEqual([
      "sh",
      "-c",
      'export PATH="$PWD/node_modules/.bin:$PATH"; exec next start',
    ]);
    expect(detection?.summary).toContain('start "next start"');
  });

  it("falls back to the main field, then server.js, index.js, app.js", async () => {
    expect(
      await detect({ "package.json": pkg({ scripts: {}, main: "lib/main.js" }), "lib/main.js": "" }),
    ).toMatchObject({ start: ["node", "lib/main.js"], startSource: "package.json main" });
    // A main field naming a missing file (npm init's default) is not a start command.
    expect(
      await detect({ "package.json": pkg({ scripts: {}, main: "index.js" }), "app.js": "", "server.js": "" }),
    ).toMatchObject({ start: ["node", "server.js"], startSource: "convention" });
    expect(await detect({ "package.json": pkg({ scripts: {} }), "app.js": "" })).toMatchObject({
      start: ["node", "app.js"],
    });
  });

  it("fails with what it looked for when nothing starts the app", async () => {
    const attempt = detect({ "package.json": pkg({ scripts: { build: "tsc" } }) });
    await expect(attempt).rejects.toThrow(NoStartCommandError);
    await expect(detect({ "package.json": pkg({ scripts: {} }) })).rejects.toThrow(
      /node app in .* has no start command: looked for package.json scripts.start, package.json main, server.js, index.js, app.js/,
    );
  });
});
