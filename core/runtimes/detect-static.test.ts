import { afterEach, describe, expect, it } from "vitest";
import { detectStatic, findStaticRoot } from "./detect-static.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

describe("detectStatic", () => {
  it.each([
    [{ "index.html": "" }, "."],
    [{ "public/index.html": "" }, "public"],
    [{ "dist/index.html": "" }, "dist"],
    [{ "build/index.html": "" }, "build"],
    [{ "site/index.html": "" }, "site"],
    [{ "_site/index.html": "" }, "_site"],
    [{ "index.html": "", "public/index.html": "" }, "."],
    [{ "docs/index.html": "" }, undefined],
  ])("%o → %s", async (files, root) => {
    expect(await findStaticRoot(await fixture.make(files))).toBe(root);
  });

  it("serves the site folder with the static server on 8080", async () => {
    const dir = await fixture.make({ "public/index.html": "<h1>hi</h1>" });
    expect(await detectStatic({ dir, procfileWeb: undefined, hasCommand: undefined })).toMatchObject({
      runtime: "static",
      tool: "none",
      start: ["node", "aether-static-server.mjs", "public"],
      startSource: "convention",
      port: 8080,
      summary: 'static · start "node aether-static-server.mjs public" · port 8080',
    });
  });

  it("is undefined without an index.html", async () => {
    const dir = await fixture.make({ "public/about.html": "" });
    expect(await detectStatic({ dir, procfileWeb: undefined, hasCommand: undefined })).toBeUndefined();
  });
});
