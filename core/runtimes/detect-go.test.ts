import { afterEach, describe, expect, it } from "vitest";
import { detectGo } from "./detect-go.ts";
import { NoStartCommandError } from "./detection-errors.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

async function detect(files: Record<string, string>, procfileWeb?: string) {
  const dir = await fixture.make(files);
  return detectGo({ dir, procfileWeb, hasCommand: undefined });
}

const goMod = "module example.com/x\n\ngo 1.22\n";

describe("detectGo", () => {
  it("is undefined without go.mod", async () => {
    expect(await detect({ "main.go": "package main\n" })).toBeUndefined();
  });

  it("reads the go directive and starts the built binary", async () => {
    expect(await detect({ "go.mod": goMod, "main.go": "package main\n", "go.sum": "" })).toMatchObject({
      runtime: "go",
      version: "1.22",
      tool: "go",
      lockfile: "go.sum",
      start: ["./app"],
      startSource: "convention",
      port: 8080,
      summary: 'go 1.22 · go · start "./app" · port 8080',
    });
  });

  it("finds a single main package under cmd/", async () => {
    const files = { "go.mod": goMod, "cmd/server/main.go": "// x\npackage main\n", "lib.go": "package x\n" };
    expect((await detect(files))?.start).toEqual(["./app"]);
  });

  it("fails when there is no main package, or several under cmd/", async () => {
    await expect(detect({ "go.mod": goMod, "lib.go": "package lib\n" })).rejects.toThrow(NoStartCommandError);
    const several = { "go.mod": goMod, "cmd/a/main.go": "package main\n", "cmd/b/main.go": "package main\n" };
    await expect(detect(several)).rejects.toThrow(
      /no start command: looked for package main in the module root/,
    );
  });

  it("lets the Procfile name the start command", async () => {
    expect(await detect({ "go.mod": goMod }, "./app -serve")).toMatchObject({
      start: ["./app", "-serve"],
      startSource: "Procfile web",
    });
  });
});
