import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SOURCE = join(import.meta.dirname, "main.go");
const building = new Map<string, Promise<string>>();

/**
 * The compiled Helm stand-in (main.go), built once per content into the temp folder, so a test run pays
 * `go build` (about 2 s cold, with Go's cache also under the temp folder) once and later renders take
 * milliseconds. Concurrent builders race safely: each builds to its own name and renames into place.
 */
export function helmRendererBinary(): Promise<string> {
  const key = SOURCE;
  let pending = building.get(key);
  if (pending === undefined) {
    pending = build();
    building.set(key, pending);
  }
  return pending;
}

async function build(): Promise<string> {
  const source = await readFile(SOURCE);
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const dir = join(tmpdir(), "aether-helm-render");
  const binary = join(dir, `helm-render-${hash}`);
  try {
    await access(binary);
    return binary;
  } catch {
    // not built yet
  }
  await mkdir(dir, { recursive: true });
  const partial = `${binary}.${randomBytes(4).toString("hex")}.partial`;
  const result = await run("go", ["build", "-o", partial, SOURCE], {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? tmpdir(),
    GO111MODULE: "off",
    GOPATH: "/usr/share/gocode",
    GOCACHE: join(tmpdir(), "aether-go-cache"),
    GOFLAGS: "",
  });
  if (result.code !== 0) {
    await rm(partial, { force: true });
    throw new Error(`go build of ${SOURCE} failed (exit ${result.code}):\n${result.stderr}`);
  }
  await rename(partial, binary);
  return binary;
}

/** A process's exit code and output. */
export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end with only the given environment. */
export function run(command: string, args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
