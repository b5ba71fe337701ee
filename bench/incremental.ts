// `npm run bench -- incremental`: a cold deploy of examples/node-express, then a one-line code change and a
// warm deploy, through the real pipeline and local target. The peer is the cold deploy of the same app in
// the same run. Figures: bytes uploaded (warm ≤ 5% of cold) and code-to-healthy time (warm ≤ 20% of cold).
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { epochFromEnv } from "../core/artifact/epoch.ts";
import { destroyLocal } from "../core/local/destroy-local.ts";
import { spawnSupervisorProcess } from "../core/local/spawn-supervisor-process.ts";
import { deployApp, type DeployReport } from "../core/pipeline/deploy-app.ts";
import { openStore } from "../core/store/open-store.ts";
import { createRunCommand } from "../core/util/run-command.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = join(root, "examples", "node-express");
const work = await mkdtemp(join(tmpdir(), "aether-bench-incremental-"));
const app = join(work, "app");
const stateDir = join(work, ".aether");
await cp(example, app, { recursive: true, filter: (src) => !src.includes("node_modules") });
const store = openStore(undefined, { cwd: work, env: {} });
const deploy = (): Promise<DeployReport> =>
  deployApp({
    dir: app,
    store,
    stateDir,
    cacheDir: join(stateDir, "cache"),
    epoch: epochFromEnv(process.env),
    platform: `${process.platform}-${process.arch}`,
    run: createRunCommand(process.env),
    clock: () => performance.now(),
    envName: "bench",
    launchSupervisor: spawnSupervisorProcess(join(root, "cli", "local-supervisor.ts"), process.execPath),
    onEvent: () => {},
  });

try {
  const cold = await deploy();
  if (!cold.ok) throw new Error(`cold deploy failed: ${JSON.stringify(cold.failure)}`);
  await appendFile(join(app, "server.js"), `\n// one-line change ${Date.now()}\n`);
  const warm = await deploy();
  if (!warm.ok) throw new Error(`warm deploy failed: ${JSON.stringify(warm.failure)}`);
  const bytesRatio = warm.bytesUploaded / cold.bytesUploaded;
  const timeRatio = warm.timings.total / cold.timings.total;
  const result = {
    bench: "incremental",
    app: "examples/node-express",
    machine: `${process.platform}-${process.arch}, node ${process.version}`,
    at: new Date().toISOString(),
    cold: { bytesUploaded: cold.bytesUploaded, timings: cold.timings },
    warm: { bytesUploaded: warm.bytesUploaded, bytesReused: warm.bytesReused, timings: warm.timings },
    bytesRatio,
    timeRatio,
    targets: { bytesRatio: 0.05, timeRatio: 0.2 },
    pass: bytesRatio <= 0.05 && timeRatio <= 0.2,
  };
  await mkdir(join(root, "bench", "results"), { recursive: true });
  await writeFile(join(root, "bench", "results", "incremental.json"), JSON.stringify(result, null, 2) + "\n");
  const ms = (n: number | undefined) => `${Math.round(n ?? 0)} ms`;
  console.log(`
| deploy | bytes uploaded | build | pack | upload | start | healthy | total |
| --- | --- | --- | --- | --- | --- | --- | --- |
| cold | ${cold.bytesUploaded} | ${ms(cold.timings.build)} | ${ms(cold.timings.pack)} | ${ms(cold.timings.upload)} | ${ms(cold.timings.start)} | ${ms(cold.timings.healthy)} | ${ms(cold.timings.total)} |
| warm | ${warm.bytesUploaded} | ${ms(warm.timings.build)} | ${ms(warm.timings.pack)} | ${ms(warm.timings.upload)} | ${ms(warm.timings.start)} | ${ms(warm.timings.healthy)} | ${ms(warm.timings.total)} |

bytes warm/cold ${(bytesRatio * 100).toFixed(2)}% (target ≤ 5%) · time warm/cold ${(timeRatio * 100).toFixed(1)}% (target ≤ 20%) · ${result.pass ? "PASS" : "FAIL"}
wrote bench/results/incremental.json`);
  process.exitCode = result.pass ? 0 : 1;
} finally {
  await destroyLocal({ stateDir, envName: "bench" });
  await rm(work, { recursive: true, force: true });
}
