import { afterEach, describe, expect, it } from "vitest";
import { appExcludes, DEFAULT_APP_EXCLUDES } from "./app-excludes.ts";
import { InvalidProjectFileError } from "./detection-errors.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

describe("appExcludes", () => {
  it("is the defaults plus the runtime's extras when there is no .aetherignore", async () => {
    const dir = await fixture.make({});
    expect(await appExcludes(dir, [".deps/"])).toEqual([...DEFAULT_APP_EXCLUDES, ".deps/"]);
  });

  it("adds .aetherignore lines, dropping comments, blanks, leading slashes and duplicates", async () => {
    const dir = await fixture.make({
      ".aetherignore": "# secrets\n/.env\r\n\n  docs/drafts/ \n./tmp/\nnode_modules/\n",
    });
    expect(await appExcludes(dir)).toEqual([...DEFAULT_APP_EXCLUDES, ".env", "docs/drafts/", "tmp/"]);
  });

  it("refuses patterns and paths outside the folder, naming the line", async () => {
    const glob = await fixture.make({ ".aetherignore": "ok.txt\n*.log\n" });
    await expect(appExcludes(glob)).rejects.toThrow(InvalidProjectFileError);
    await expect(appExcludes(glob)).rejects.toThrow(/\.aetherignore line 2: "\*\.log" is a pattern/);
    const negation = await fixture.make({ ".aetherignore": "!keep\n" });
    await expect(appExcludes(negation)).rejects.toThrow(/line 1: "!keep" is a pattern/);
    const outside = await fixture.make({ ".aetherignore": "../secrets\n" });
    await expect(appExcludes(outside)).rejects.toThrow(/"\.\.\/secrets" is not a path inside the app folder/);
  });
});
