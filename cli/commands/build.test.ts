import { cp, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFolderStore } from "../../core/store/folder-store.ts";
import { memoryCliContext } from "../../test/support/memory-cli-context.ts";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { runCli } from "../run-cli.ts";
import { buildCommand } from "./build.ts";

const STATIC = fileURLToPath(new URL("../../examples/static/", import.meta.url));
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const tempDir = useTempDirs("aether-cli-build-");

/** A checkout of a monorepo with two static sites, and the store the builds go to. */
async function monorepo() {
  const repo = await tempDir();
  await mkdir(join(repo, ".git"));
  for (const app of ["web", "docs"]) await cp(STATIC, join(repo, "apps", app), { recursive: true });
  return { repo, storeDir: join(repo, ".aether", "test-store") };
}

describe("aether build in a monorepo", () => {
  it("indexes each app's build under its folder in the repository, with the build's figures", async () => {
    const { repo, storeDir } = await monorepo();
    const refs = [];
    // Run from the repository root and from a folder inside it: the app's folder is the same either way.
    for (const [cwd, arg] of [
      [repo, "apps/web"],
      [join(repo, "apps"), "docs"],
    ] as const) {
      const { ctx, out } = memoryCliContext({ cwd, env: { PATH: process.env["PATH"] } });
      const args = ["build", arg, "--store", `file://${storeDir}`, "--repository", "acme/shop"];
      const code = await runCli([...args, "--commit", COMMIT, "--json"], ctx, [buildCommand]);
      expect(code, out.stderr + out.stdout).toBe(0);
      refs.push((JSON.parse(out.stdout) as { ref: unknown; digest: string }).ref);
    }
    expect(refs).toEqual([
      { repository: "acme/shop", commit: COMMIT, path: "apps/web" },
      { repository: "acme/shop", commit: COMMIT, path: "apps/docs" },
    ]);
    const store = createFolderStore(storeDir);
    const web = await store.getRef({ repository: "acme/shop", commit: COMMIT, path: "apps/web" });
    const docs = await store.getRef({ repository: "acme/shop", commit: COMMIT, path: "apps/docs" });
    expect(web).toMatchObject({ path: "apps/web", builder: "aether-cli" });
    expect(docs).toMatchObject({ path: "apps/docs" });
    expect(web?.timings?.buildMs).toBeGreaterThanOrEqual(0);
    expect(web?.timings?.uploadMs).toBeGreaterThanOrEqual(0);
    expect(web?.bytes?.uploaded).toBeGreaterThan(0);
    // The second build sent only what differed: nothing, both sites being the same files.
    expect(docs?.bytes).toEqual({ uploaded: 0, reused: expect.any(Number) as number });
    expect(await store.getRef({ repository: "acme/shop", commit: COMMIT })).toBeUndefined();
  });

  it("refuses a folder outside the repository before building anything", async () => {
    const { repo, storeDir } = await monorepo();
    const { ctx, out } = memoryCliContext({ cwd: join(repo, "apps"), env: { PATH: process.env["PATH"] } });
    const outside = await tempDir();
    await cp(STATIC, outside, { recursive: true });
    const args = ["build", outside, "--store", `file://${storeDir}`, "--repository", "acme/shop"];
    expect(await runCli([...args, "--commit", COMMIT], ctx, [buildCommand])).toBe(2);
    expect(out.stderr).toMatch(/app path ".*" (climbs out of the repository|is absolute)/);
    expect(await readdir(storeDir).catch(() => [])).toEqual([]);
  });
});
