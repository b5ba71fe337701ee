import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATIC_SERVER_FILE, STATIC_SERVER_SOURCE } from "./static-server-source.ts";
import { freeInternalPort as freePort } from "../local/ports.ts";

let dir = "";
let child: ChildProcess | undefined;
let base = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aether-static-"));
  const files: Record<string, string> = {
    [STATIC_SERVER_FILE]: STATIC_SERVER_SOURCE,
    "secret.txt": "outside the site",
    "site/index.html": "<h1>home</h1>",
    "site/docs/index.html": "<h1>docs</h1>",
    "site/app.js": "console.log(1)",
    "site/.env": "TOKEN=nope",
    "site/404.html": "<h1>lost</h1>",
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [STATIC_SERVER_FILE, "site"], {
    cwd: dir,
    env: { PORT: String(port) },
    stdio: "ignore",
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (
      await fetch(base).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`the static server did not answer on ${base}`);
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child?.once("exit", done));
    child.kill("SIGTERM");
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

async function get(path: string, init?: RequestInit) {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

describe("the static server", () => {
  it("serves index.html for folders and files with their type", async () => {
    expect(await get("/")).toEqual({ status: 200, type: "text/html; charset=utf-8", body: "<h1>home</h1>" });
    expect((await get("/docs/")).body).toBe("<h1>docs</h1>");
    expect((await get("/app.js")).type).toBe("text/javascript; charset=utf-8");
  });

  it("answers /health with ok when the site has no such file", async () => {
    expect(await get("/health")).toMatchObject({ status: 200, body: "ok" });
  });

  it("never serves dot-files or anything outside the site folder", async () => {
    for (const path of [
      "/.env",
      "/%2eenv",
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/%00",
    ]) {
      const response = await get(path);
      expect(response.body, path).not.toContain("nope");
      expect(response.body, path).not.toContain("outside the site");
      expect(response.status, path).toBe(404);
    }
  });

  it("uses 404.html for missing pages, answers HEAD without a body, and refuses other methods", async () => {
    expect(await get("/missing")).toMatchObject({ status: 404, body: "<h1>lost</h1>" });
    expect(await get("/", { method: "HEAD" })).toMatchObject({ status: 200, body: "" });
    expect((await get("/", { method: "POST" })).status).toBe(405);
  });
});
