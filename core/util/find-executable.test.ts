import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHasCommand, findExecutable } from "./find-executable.ts";

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function binFolders(): Promise<{ first: string; second: string }> {
  const root = await mkdtemp(join(tmpdir(), "aether-path-"));
  folders.push(root);
  const first = join(root, "first");
  const second = join(root, "second");
  await mkdir(first);
  await mkdir(second);
  await writeFile(join(first, "tool"), "#!/bin/sh\n");
  await writeFile(join(second, "tool"), "#!/bin/sh\n");
  await chmod(join(second, "tool"), 0o755);
  await mkdir(join(first, "folder-named-tool"));
  return { first, second };
}

describe("findExecutable", () => {
  it("returns the first executable file on the search path, skipping non-executables and folders", async () => {
    const { first, second } = await binFolders();
    const searchPath = [first, second].join(delimiter);
    expect(await findExecutable("tool", searchPath)).toBe(join(second, "tool"));
    expect(await findExecutable("folder-named-tool", searchPath)).toBeUndefined();
    expect(await findExecutable("missing", searchPath)).toBeUndefined();
  });

  it("ignores empty and relative entries, and names with a slash", async () => {
    const { second } = await binFolders();
    expect(await findExecutable("tool", ["", ".", "relative/bin"].join(delimiter))).toBeUndefined();
    expect(await findExecutable("second/tool", second)).toBeUndefined();
  });
});

describe("createHasCommand", () => {
  it("answers for one PATH value", async () => {
    const { second } = await binFolders();
    const hasCommand = createHasCommand(second);
    expect(await hasCommand("tool")).toBe(true);
    expect(await hasCommand("mvn-not-here")).toBe(false);
  });
});
