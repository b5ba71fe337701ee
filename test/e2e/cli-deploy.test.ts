import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGet, runAether } from "../support/run-aether.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "aether-e2e-"));
});
afterAll(async () => {
  for (const env of ["production", "py", "corrupt"])
    await runAether(["destroy", "--env", env], { cwd: work });
  await rm(work, { recursive: true, force: true });
});

async function copyExample(name: string, as: string): Promise<string> {
  const dir = join(work, as);
  await cp(join(EXAMPLES, name), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  return dir;
}

describe("aether deploy (the README's first command)", () => {
  it("deploys examples/node-express and prints its URL and the latency table", async () => {
    await copyExample("node-express", "node-express");
    const run = await runAether(["deploy", "node-express"], { cwd: work });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const phase of ["detect", "build", "pack", "upload", "start", "healthy"]) {
      expect(run.stdout).toMatch(new RegExp(`✔ ${phase} `));
    }
    const url = /Live at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1];
    expect(url).toBeDefined();
    expect(run.stdout).toMatch(/detect\s+build\s+pack\s+upload\s+start\s+healthy\s+total/);
    const page = await httpGet(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Express");
    expect((await httpGet(`${url}/health`)).status).toBe(200);

    const status = await runAether(["status", "--json"], { cwd: work });
    const envs = JSON.parse(status.stdout) as { envName: string; url: string; current: { state: string } }[];
    expect(envs).toMatchObject([{ envName: "production", url, current: { state: "up" } }]);
  });
});

describe("aether deploy --json and failures", () => {
  it("reports a JSON deploy, then keeps the old release when the new one crashes on start", async () => {
    const app = await copyExample("python", "py");
    const first = await runAether(["deploy", "py", "--env", "py", "--json"], { cwd: work });
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { ok: boolean; url: string; digest: string; release: number };
    expect(report).toMatchObject({ ok: true, release: 1 });
    expect(report.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await httpGet(`${report.url}/health`)).status).toBe(200);

    await writeFile(join(app, "app.py"), "import nosuchmodule\n");
    const broken = await runAether(["deploy", "py", "--env", "py"], { cwd: work });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("✖ start");
    expect(broken.stdout).toContain("nosuchmodule");
    expect(broken.stdout).toContain(`release 1 still serves ${report.url}`);
    expect((await httpGet(`${report.url}/health`)).status).toBe(200);

    const build = await runAether(["build", "py", "--json"], { cwd: work });
    expect(JSON.parse(build.stdout)).toMatchObject({ digest: expect.stringMatching(/^sha256:/) });
  });

  it("refuses a corrupt store blob before anything is switched", async () => {
    const app = await copyExample("static", "site");
    const first = await runAether(["deploy", "site", "--env", "corrupt", "--json"], { cwd: work });
    expect(first.code).toBe(0);
    const { url } = JSON.parse(first.stdout) as { url: string };
    await writeFile(join(app, "public", "index.html"), "<h1>changed</h1>\n");
    const built = JSON.parse((await runAether(["build", "site", "--json"], { cwd: work })).stdout) as {
      layers: { role: string; digest: string }[];
    };
    const appLayer = built.layers.find((l) => l.role === "app")!;
    const blob = join(work, ".aether", "store", "blobs", "sha256", appLayer.digest.slice(7));
    await writeFile(blob, "not the layer you built");
    const deploy = await runAether(["deploy", "site", "--env", "corrupt"], { cwd: work });
    expect(deploy.code).toBe(1);
    expect(deploy.stdout).toMatch(/✖ start .*could not unpack/);
    expect(deploy.stdout).toContain("corrupt");
    const page = await httpGet(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("changed");
  });

  it("explains a missing folder, a taken port and a bad flag", async () => {
    const missing = await runAether(["deploy", "no-such-app"], { cwd: work });
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/no-such-app/);

    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, "127.0.0.1", ok));
    const port = (blocker.address() as { port: number }).port;
    try {
      await copyExample("static", "site2");
      const taken = await runAether(["deploy", "site2", "--env", "taken", "--port", String(port)], {
        cwd: work,
      });
      expect(taken.code).toBe(1);
      expect(taken.stdout + taken.stderr).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
      await runAether(["destroy", "--env", "taken"], { cwd: work });
    }

    const bad = await runAether(["deploy", "--prot", "1"], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--prot");
    expect(await readdir(work)).not.toContain("no-such-app");
  });
});
