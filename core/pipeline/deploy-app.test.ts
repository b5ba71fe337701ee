import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { destroyLocal } from "../local/destroy-local.ts";
import { spawnSupervisorProcess } from "../local/spawn-supervisor-process.ts";
import { createFolderStore } from "../store/folder-store.ts";
import { createRunCommand } from "../util/run-command.ts";
import { buildArtifact } from "./build-artifact.ts";
import { deployApp } from "./deploy-app.ts";
import type { PipelineEvent } from "./pipeline-events.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const SUPERVISOR = fileURLToPath(new URL("../../cli/local-supervisor.ts", import.meta.url));
const tempDir = useTempDirs("aether-pipeline-");
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function setUp(example: string) {
  const work = await tempDir();
  const dir = join(work, "app");
  await cp(join(EXAMPLES, example), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  const stateDir = join(work, ".aether");
  const events: PipelineEvent[] = [];
  const base = {
    dir,
    store: createFolderStore(join(stateDir, "store")),
    stateDir,
    cacheDir: join(stateDir, "cache"),
    epoch: 315532800,
    platform: `${process.platform}-${process.arch}`,
    run: createRunCommand(process.env),
    clock: () => performance.now(),
    onEvent: (e: PipelineEvent) => events.push(e),
  };
  return { work, dir, stateDir, events, base };
}

describe("buildArtifact", () => {
  it("reports each phase in order and gives the same digest for the same source", async () => {
    const { base, events, dir } = await setUp("python");
    const first = await buildArtifact(base);
    expect(events.filter((e) => e.type === "phase-finished").map((e) => e.phase)).toEqual([
      "detect",
      "build",
      "pack",
      "upload",
    ]);
    expect(first.bytesUploaded).toBeGreaterThan(0);
    expect(first.manifest.runtime.name).toBe("python");
    // requirements.txt lists nothing: an SBOM with no components (still a record that there are none).
    expect(first.manifest.sbom?.components).toBe(0);
    const again = await buildArtifact(base);
    expect(again.digest).toBe(first.digest);
    expect(again.bytesUploaded).toBe(0);
    expect(again.layers.every((l) => !l.uploaded)).toBe(true);
    await writeFile(join(dir, "app.py"), "# changed\n", { flag: "a" });
    expect((await buildArtifact(base)).digest).not.toBe(first.digest);
  });

  it("builds an app whose cache lives inside it (`aether build .` in the app's folder), leaving .aether out", async () => {
    const { base, dir } = await setUp("static");
    const inside = { ...base, stateDir: join(dir, ".aether"), cacheDir: join(dir, ".aether", "cache") };
    const built = await buildArtifact(inside);
    const app = built.layers.find((l) => l.role === "app");
    expect(app).toBeDefined();
    expect(built.manifest.runtime.name).toBe("static");
    // Built twice in place: the first build's cache is not copied into the second one's app layer.
    expect((await buildArtifact(inside)).digest).toBe(built.digest);
  });

  it("reuses the dependency layer from the store on a machine with an empty cache (a fresh CI runner)", async () => {
    const { base, work } = await setUp("node-express");
    const first = await buildArtifact(base);
    // The SBOM from the lockfile is stored beside the layers and named in the manifest.
    expect(first.manifest.sbom).toMatchObject({ mediaType: "application/vnd.cyclonedx+json" });
    expect(first.manifest.sbom?.components).toBeGreaterThan(50);
    expect(await base.store.hasBlob(first.manifest.sbom!.digest)).toBe(true);
    const elsewhere: PipelineEvent[] = [];
    const second = await buildArtifact({
      ...base,
      cacheDir: join(work, "other-machine-cache"),
      onEvent: (e) => elsewhere.push(e),
    });
    expect(second.digest).toBe(first.digest);
    expect(second.layers.find((l) => l.role === "deps")).toMatchObject({ cached: true, uploaded: false });
    // npm ci never ran: no build output at all.
    expect(elsewhere.filter((e) => e.type === "output")).toEqual([]);
  });

  it("fails the build phase with the command and the last lines of its output", async () => {
    const { base, dir, events } = await setUp("node-express");
    // package.json names a dependency the lockfile does not: npm ci refuses without touching the network.
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    pkg.dependencies["left-pad"] = "1.3.0";
    await writeFile(join(dir, "package.json"), JSON.stringify(pkg));
    const failure = await buildArtifact(base).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ name: "PhaseError", phase: "build" });
    expect((failure as Error).message).toMatch(/^`npm ci .*` exited with code 1 in .*: npm error .*in sync/);
    expect((failure as { logTail: string[] }).logTail.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: "phase-failed", phase: "build" });
    // Scratch space is cleaned up even on failure.
    expect(await readdir(join(base.cacheDir, "work"))).toEqual([]);
  });
});

describe("deployApp on the local target", () => {
  it("deploys cold, then reuses the dependency layer when only code changed", async () => {
    const { base, dir, stateDir } = await setUp("node-express");
    const launchSupervisor = spawnSupervisorProcess(SUPERVISOR, process.execPath);
    cleanups.push(() => destroyLocal({ stateDir, envName: "test" }));
    const cold = await deployApp({ ...base, envName: "test", launchSupervisor });
    expect(cold).toMatchObject({ ok: true, release: 1, target: "local" });
    expect(cold.layers.map((l) => [l.role, l.cached])).toEqual([
      ["deps", false],
      ["app", false],
    ]);
    const page = await fetch(`${cold.url}/`);
    expect(page.status).toBe(200);

    await writeFile(join(dir, "server.js"), "\n// one more line\n", { flag: "a" });
    const warm = await deployApp({ ...base, envName: "test", launchSupervisor });
    expect(warm).toMatchObject({ ok: true, release: 2, previous: 1, url: cold.url });
    expect(warm.layers.map((l) => [l.role, l.cached, l.uploaded])).toEqual([
      ["deps", true, false],
      ["app", false, true],
    ]);
    expect(warm.bytesUploaded).toBeLessThan(cold.bytesUploaded * 0.05);
    expect(Object.keys(warm.timings)).toEqual([
      "detect",
      "build",
      "pack",
      "upload",
      "start",
      "healthy",
      "total",
    ]);
  });

  it("reports a detect failure without touching anything", async () => {
    const { base, work } = await setUp("static");
    const report = await deployApp({
      ...base,
      dir: join(work, "missing"),
      envName: "test",
      launchSupervisor: () => {
        throw new Error("must not start a supervisor");
      },
    });
    expect(report).toMatchObject({ ok: false, failure: { phase: "detect" } });
    expect(report.failure?.message).toContain("missing");
  });
});
