import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runAether } from "../support/run-aether.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const SECRET = "planted-secret-4711-xyz";
const tempDir = useTempDirs("aether-secrets-");

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("a secret handed to an app never shows up in Aether's output or logs", () => {
  it("is hidden when the app prints it while serving and while crashing", async () => {
    const work = await tempDir();
    try {
      await plantAndSearch(work);
    } finally {
      await runAether(["destroy", "--env", "sec"], { cwd: work });
    }
  });
});

async function plantAndSearch(work: string): Promise<void> {
  const app = join(work, "app");
  await cp(join(EXAMPLES, "python"), app, { recursive: true });
  const original = await readFile(join(app, "app.py"), "utf8");
  await writeFile(
    join(app, "app.py"),
    `import os\nprint("token is", os.environ["API_TOKEN"], flush=True)\n${original}`,
  );
  const ok = await runAether(["deploy", "app", "--env", "sec", "-e", `API_TOKEN=${SECRET}`], { cwd: work });
  expect(ok.code).toBe(0);
  const logs = await runAether(["logs", "--env", "sec"], { cwd: work });
  expect(logs.stdout).toContain("token is ***");

  await writeFile(
    join(app, "app.py"),
    `import os\nraise SystemExit("bad token " + os.environ["API_TOKEN"])\n`,
  );
  const failed = await runAether(["deploy", "app", "--env", "sec", "-e", `API_TOKEN=${SECRET}`], {
    cwd: work,
  });
  expect(failed.code).toBe(1);
  expect(failed.stdout).toContain("bad token ***");
  const json = await runAether(["deploy", "app", "--env", "sec", "--json", "-e", `API_TOKEN=${SECRET}`], {
    cwd: work,
  });
  const logsJson = await runAether(["logs", "--env", "sec", "--release", "2", "--json"], { cwd: work });

  for (const run of [ok, logs, failed, json, logsJson]) {
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  }
  // Nor in any log file Aether wrote (history.json keeps the value, mode 0600, to restart the app).
  const logFiles = (await allFiles(join(work, ".aether"))).filter(
    (f) => f.endsWith(".log") || f.endsWith(".jsonl"),
  );
  expect(logFiles.length).toBeGreaterThan(0);
  for (const file of logFiles) expect(await readFile(file, "utf8")).not.toContain(SECRET);
}
