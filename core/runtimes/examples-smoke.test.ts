import { spawn, type ChildProcess } from "node:child_process";
import { lstatSync } from "node:fs";
import { createHash } from "node:crypto";
import { copyFile, cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, relative, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { excludeMatcher } from "../artifact/exclude-matcher.ts";
import { findExecutable } from "../util/find-executable.ts";
import { createRunCommand } from "../util/run-command.ts";
import type { BuildPlan } from "./build-plan.ts";
import { detectRuntime } from "./detect-runtime.ts";
import { planBuild } from "./plan-build.ts";
import type { LayerSource, RunCommand } from "./runtime.ts";

// Real builds of every example, the way the pipeline runs a plan: deps in an empty staging folder, the
// app in a scratch copy when asked, both copied into a release folder, then the app started on a free port.

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
      const dir = join(EXAMPLES, name);
      const plan = await planBuild(await detectRuntime(dir), dir, {
        platform: `${process.platform}-${process.arch}`,
      });
      const work = await mkdtemp(join(tmpdir(), `aether-smoke-${name}-`));
      cleanups.push(() => rm(work, { recursive: true, force: true }));

      const release = await buildRelease({ dir, plan, work, run: createRunCommand(BASE_ENV) });
      const port = await freePort();
      const app = startApp(plan, release, port);
      cleanups.push(() => stopApp(app.child));

      const health = await waitForHealth(`http://127.0.0.1:${port}${plan.healthPath}`, app);
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
      const plan = await planBuild(await detectRuntime(dir), dir, { platform: "linux-x64" });
      const digests = [];
      for (const round of [1, 2]) {
        const work = await mkdtemp(join(tmpdir(), `aether-repro-${name}-${round}-`));
        cleanups.push(() => rm(work, { recursive: true, force: true }));
        const release = await buildRelease({ dir, plan, work, run: createRunCommand(BASE_ENV) });
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

async function buildRelease(request: {
  dir: string;
  plan: BuildPlan;
  work: string;
  run: RunCommand;
}): Promise<string> {
  const { dir, plan, work, run } = request;
  const release = join(work, "release");
  await mkdir(release);
  if (plan.deps) {
    const staging = join(work, "staging");
    await mkdir(staging);
    for (const input of plan.deps.inputs) {
      await mkdir(dirname(join(staging, input)), { recursive: true });
      await copyFile(join(dir, input), join(staging, input));
    }
    await runAll(plan.deps.command, staging, run);
    await copyLayer(staging, plan.deps.output, release);
  }
  let appRoot = dir;
  if (plan.app.copySource) {
    appRoot = join(work, "scratch");
    const heavy = new Set(["node_modules", ".git", ".aether"]);
    await cp(dir, appRoot, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => !heavy.has(basename(path)),
    });
    await runAll(plan.app.command, appRoot, run);
  }
  await copyLayer(appRoot, plan.app.output, release);
  return release;
}

async function runAll(commands: string[][], cwd: string, run: RunCommand): Promise<void> {
  for (const argv of commands) {
    const { code, output } = await run({ argv, cwd });
    expect(code, `${argv.slice(0, 4).join(" ")} failed in ${cwd}:\n${output}`).toBe(0);
  }
}

async function copyLayer(base: string, source: LayerSource, release: string): Promise<void> {
  const root = join(base, source.root);
  const excluded = excludeMatcher(source.exclude);
  await cp(root, join(release, source.prefix), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (path) => {
      const inside = relative(root, path);
      return inside === "" || !excluded(inside, basename(path), lstatSync(path).isDirectory());
    },
  });
}

function startApp(
  plan: BuildPlan,
  release: string,
  port: number,
): { child: ChildProcess; output: () => string } {
  const [program = "", ...args] = plan.start;
  const child = spawn(program, args, {
    cwd: release,
    env: { ...BASE_ENV, ...plan.env, PORT: String(port) },
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === "string") throw new Error("no TCP port was assigned");
  return address.port;
}
