import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_EPOCH } from "../../core/artifact/epoch.ts";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import { buildArtifact } from "../../core/pipeline/build-artifact.ts";
import { materializeRelease } from "../../core/pipeline/materialize-release.ts";
import type { RunCommand } from "../../core/runtimes/runtime.ts";
import { createFolderStore } from "../../core/store/folder-store.ts";
import { findExecutable } from "../../core/util/find-executable.ts";
import { createRunCommand } from "../../core/util/run-command.ts";
import { freeInternalPort as freePort } from "../../core/local/ports.ts";

// Real builds of every example through the pipeline (detect, build, pack, store, unpack verified), then the
// app started from its release folder on a free port, as the local target would.

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
// The Node running the tests comes first, so npm and the static server use it.
const PATH = [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter);
/** Network settings a build needs behind a proxy or a private CA (npm ci reaches the registry). */
const NETWORK_ENV = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];
const BASE_ENV: Record<string, string> = { PATH, HOME: process.env.HOME ?? tmpdir(), LANG: "C.UTF-8" };
for (const name of NETWORK_ENV) {
  const value = process.env[name];
  if (value !== undefined) BASE_ENV[name] = value;
}
const INSTALL_HINTS: Record<string, string> = {
  go: "apt-get install golang-go",
  javac: "apt-get install default-jdk-headless",
  jar: "apt-get install default-jdk-headless",
  java: "apt-get install default-jdk-headless",
  python3: "apt-get install python3",
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("examples build and serve for real", () => {
  it.each([
    ["node-express", ["npm"], "Hello from Node.js"],
    ["python", ["python3"], "Hello from Python"],
    ["go", ["go"], "Hello from Go"],
    ["java", ["javac", "jar", "java"], "Hello from Java"],
    ["static", [], "Hello from a static site"],
  ])(
    "%s",
    async (name, tools, greeting) => {
      for (const tool of tools) {
        const found = await findExecutable(tool, PATH);
        expect(
          found,
          `${tool} is not installed; the ${name} example needs it (${INSTALL_HINTS[tool] ?? ""})`,
        ).toBeDefined();
      }
      const work = await mkdtemp(join(tmpdir(), `aether-smoke-${name}-`));
      cleanups.push(() => rm(work, { recursive: true, force: true }));

      const { release, manifest } = await buildRelease({
        dir: join(EXAMPLES, name),
        work,
        run: createRunCommand(BASE_ENV),
      });
      const port = await freePort();
      const app = startApp(manifest, release, port);
      cleanups.push(() => stopApp(app.child));

      const health = await waitForHealth(`http://127.0.0.1:${port}${manifest.healthPath}`, app);
      expect(health).toEqual({ status: 200, body: "ok" });
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain(greeting);
    },
    120_000,
  ); // a cold Go build cache compiles the standard library once (about 40 s); warm it takes a second

  it.each([
    ["go", "app"],
    ["java", "app.jar"],
  ])(
    "%s builds the same bytes in two different scratch folders",
    async (name, file) => {
      const dir = join(EXAMPLES, name);
      const digests = [];
      for (const round of [1, 2]) {
        const work = await mkdtemp(join(tmpdir(), `aether-repro-${name}-${round}-`));
        cleanups.push(() => rm(work, { recursive: true, force: true }));
        const { release } = await buildRelease({ dir, work, run: createRunCommand(BASE_ENV) });
        digests.push(
          createHash("sha256")
            .update(await readFile(join(release, file)))
            .digest("hex"),
        );
      }
      expect(digests[1]).toBe(digests[0]);
    },
    120_000,
  );
});

/** Builds the example through the real pipeline (folder store) and unpacks it the way a deploy does. */
async function buildRelease(request: {
  dir: string;
  work: string;
  run: RunCommand;
}): Promise<{ release: string; manifest: ArtifactManifest }> {
  const { dir, work, run } = request;
  const store = createFolderStore(join(work, "store"));
  const built = await buildArtifact({
    dir,
    store,
    cacheDir: join(work, "cache"),
    epoch: DEFAULT_EPOCH,
    platform: `${process.platform}-${process.arch}`,
    run,
    onEvent: () => undefined,
    clock: () => performance.now(),
  });
  const release = join(work, "release");
  await materializeRelease({ store, digest: built.digest, manifest: built.manifest, releaseDir: release });
  return { release, manifest: built.manifest };
}

function startApp(
  manifest: ArtifactManifest,
  release: string,
  port: number,
): { child: ChildProcess; output: () => string } {
  const [program = "", ...args] = manifest.start;
  const child = spawn(program, args, {
    cwd: release,
    env: { ...BASE_ENV, ...manifest.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForHealth(
  url: string,
  app: { child: ChildProcess; output: () => string },
): Promise<{ status: number; body: string }> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (app.child.exitCode !== null)
      throw new Error(`the app exited with ${app.child.exitCode}:\n${app.output()}`);
    try {
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error(`${url} never answered; the app's output:\n${app.output()}`);
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
