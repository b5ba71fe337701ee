/**
 * Test support for core/local: release folders with small real apps (node:http, python http.server), and
 * the real supervisor launcher. Used only by the tests beside it.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { digestOf, type Digest } from "../artifact/digest.ts";
import { LAYER_MEDIA_TYPE, MANIFEST_MEDIA_TYPE, type ArtifactManifest } from "../artifact/manifest.ts";
import { releaseDirFor } from "./release-dir-for.ts";
import { spawnSupervisorProcess } from "./spawn-supervisor-process.ts";

export const SUPERVISOR_ENTRY = fileURLToPath(new URL("../../cli/local-supervisor.ts", import.meta.url));

/** The launcher the CLI uses, pointed at this checkout's entry and the Node running the tests. */
export const launchSupervisor = spawnSupervisorProcess(SUPERVISOR_ENTRY, process.execPath);

/** A fresh state folder under the OS temp folder (short, so control sockets fit inside it). */
export function makeStateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "aether-local-"));
}

/** How a test app behaves: serves, exits at once, or never answers its health path with 200. */
export type AppMode = "ok" | "crash-at-start" | "never-healthy";

export interface TestRelease {
  digest: Digest;
  manifest: ArtifactManifest;
  releaseDir: string;
}

export function manifestFor(start: string[], env: Record<string, string> = {}): ArtifactManifest {
  return {
    schemaVersion: 1,
    mediaType: MANIFEST_MEDIA_TYPE,
    runtime: { name: "node" },
    start,
    port: 3000,
    healthPath: "/health",
    env,
    layers: [{ role: "app", mediaType: LAYER_MEDIA_TYPE, digest: digestOf("layer"), size: 1, entries: 1 }],
  };
}

/**
 * Writes a node:http app into the environment's release folder for a made-up digest. It answers
 * `/` with "hello from <version>", `/health`, `/crash` (exits 3), `/log?<text>` (prints the text) and
 * `/headers` (echoes request headers), `/slow` (answers after 40 ms).
 */
export async function nodeRelease(request: {
  stateDir: string;
  envName: string;
  version: string;
  mode?: AppMode;
}): Promise<TestRelease> {
  const mode = request.mode ?? "ok";
  const digest = digestOf(`${request.version}/${mode}`);
  const releaseDir = releaseDirFor({ stateDir: request.stateDir, envName: request.envName, digest });
  await mkdir(releaseDir, { recursive: true });
  await writeFile(join(releaseDir, "server.js"), nodeServer(request.version, mode));
  return { digest, releaseDir, manifest: manifestFor(["node", "server.js"]) };
}

function nodeServer(version: string, mode: AppMode): string {
  return `const http = require("node:http");
const mode = ${JSON.stringify(mode)};
if (mode === "crash-at-start") {
  console.error("Error: Cannot find module 'expresss'");
  process.exit(1);
}
const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    if (mode === "never-healthy") { res.writeHead(500); res.end("not ready"); return; }
    res.end("ok");
    return;
  }
  if (req.url === "/crash") {
    console.error("crashing on request");
    res.end("bye");
    setTimeout(() => process.exit(3), 5);
    return;
  }
  if (req.url.startsWith("/log?")) {
    console.log(decodeURIComponent(req.url.slice(5)));
    res.end("logged");
    return;
  }
  if (req.url === "/slow") {
    setTimeout(() => res.end("slow " + ${JSON.stringify(version)} + "\\n"), 40);
    return;
  }
  if (req.url === "/headers") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(req.headers));
    return;
  }
  res.end("hello from " + ${JSON.stringify(version)} + "\\n");
});
server.listen(Number(process.env.PORT), () => console.log("${version} listening on " + process.env.PORT));
`;
}

/** A python3 standard-library app that imports a module from `.deps` through PYTHONPATH=.deps. */
export async function pythonRelease(request: { stateDir: string; envName: string }): Promise<TestRelease> {
  const digest = digestOf("python-app");
  const releaseDir = releaseDirFor({ stateDir: request.stateDir, envName: request.envName, digest });
  await mkdir(join(releaseDir, ".deps"), { recursive: true });
  await writeFile(join(releaseDir, ".deps", "greeting.py"), 'TEXT = "hello from python"\n');
  await writeFile(
    join(releaseDir, "app.py"),
    `import os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from greeting import TEXT

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (TEXT + " " + os.environ["PYTHONPATH"] + "\\n").encode()
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

print("python listening", flush=True)
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
`,
  );
  const manifest = {
    ...manifestFor(["python3", "app.py"], { PYTHONPATH: ".deps" }),
    runtime: { name: "python" as const },
  };
  return { digest, releaseDir, manifest };
}

/** GET a URL; the status and body, or the error code when nothing answered. */
export async function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return { error: cause instanceof Error && "code" in cause ? String(cause.code) : String(cause) };
  }
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
