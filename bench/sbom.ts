// `npm run bench -- sbom`: our SBOM generator against `@cyclonedx/cyclonedx-npm --package-lock-only` on the
// parse-server and playwright lockfiles, whole process each, alternating in the same run. Ours is the
// `aether sbom` command as users run it (bin/aether.js: TypeScript with Node's compile cache, warm after the
// first run, which is reported apart), and, for reference, the library bundled by esbuild into one file.
// Writes bench/results/sbom.json and prints a markdown table.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CYCLONEDX_NPM_CLI, purlSet } from "../core/sbom/sbom-test-kit.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = join(REPO, "test", "fixtures", "lockfiles");
const RESULT_FILE = join(REPO, "bench", "results", "sbom.json");
const TARGET_RATIO = 20;
const TARGET_PARSE_SERVER_MS = 150;
const RUNS = Number(process.argv[2] ?? 5);

interface Run {
  wallMs: number;
  /** user + system CPU time: less sensitive than wall time to other load on the machine. */
  cpuMs: number;
  peakRssKb: number;
}

const ENTRY = `
import { writeFile } from "node:fs/promises";
import { generateSbom, serializeSbomJson } from ${JSON.stringify(join(REPO, "core", "sbom", "generate-sbom.ts"))};
const [dir, out] = process.argv.slice(2);
const bom = await generateSbom({ dir, app: { name: "bench", version: "0.0.0" }, epoch: 315532800, includeDev: true });
await writeFile(out, serializeSbomJson(bom));
`;

/** Runs a command under /usr/bin/time -v when present (peak RSS), timing the wall clock ourselves. */
function timed(argv: string[], cwd: string): Promise<Run> {
  const useTime = existsSync("/usr/bin/time");
  const [cmd, ...args] = useTime ? ["/usr/bin/time", "-v", ...argv] : argv;
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(cmd!, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return fail(new Error(`${argv.join(" ")} exited with ${code}: ${stderr.slice(-2000)}`));
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const seconds = (label: string) =>
        Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1] ?? 0);
      done({
        wallMs,
        cpuMs: (seconds("User") + seconds("System")) * 1000,
        peakRssKb: rss ? Number(rss[1]) : 0,
      });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(runs: Run[]) {
  return {
    medianMs: Math.round(median(runs.map((r) => r.wallMs))),
    minMs: Math.round(Math.min(...runs.map((r) => r.wallMs))),
    runsMs: runs.map((r) => Math.round(r.wallMs)),
    medianCpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
    peakRssMb: Math.round(Math.max(...runs.map((r) => r.peakRssKb)) / 1024),
  };
}

async function countComponents(file: string): Promise<{ components: number; purls: Set<string> }> {
  const bom = JSON.parse(await readFile(file, "utf8")) as unknown;
  let components = 0;
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list as Array<{ components?: unknown }>) {
      components++;
      walk(c.components);
    }
  };
  walk((bom as { components?: unknown }).components);
  return { components, purls: purlSet(bom) };
}

const work = await mkdtemp(join(tmpdir(), "aether-bench-sbom-"));
try {
  const entryTs = join(work, "entry.ts");
  const cli = join(REPO, "bin", "aether.js");
  // The bench's own compile cache, so the first run below is truly cold.
  process.env["NODE_COMPILE_CACHE"] = join(work, "compile-cache");
  const entryJs = join(work, "bundle", "entry.js");
  await writeFile(entryTs, ENTRY);
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [entryTs],
    outdir: join(work, "bundle"),
    // Split so the YAML and TOML parsers (chunks loaded by dynamic import) are not even parsed for npm.
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    logLevel: "error",
  });
  // Node's own start-up, the floor under any whole-process figure of ours.
  const floor: Run[] = [];
  for (let i = 0; i < RUNS; i++) floor.push(await timed([process.execPath, "-e", ""], work));
  const fixtures = [];
  for (const name of ["parse-server", "playwright"]) {
    const dir = join(work, name);
    await mkdir(dir);
    for (const f of ["package.json", "package-lock.json"])
      await copyFile(join(FIXTURES, name, f), join(dir, f));
    const entries = Object.keys(
      (JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8")) as { packages: object }).packages,
    ).length;
    const outs = {
      cli: join(work, `${name}-ours-cli.json`),
      bundled: join(work, `${name}-ours.json`),
      cdx: join(dir, "cdx.json"),
    };
    const runs = { cli: [] as Run[], bundled: [] as Run[], cdx: [] as Run[] };
    const cliArgv = [process.execPath, cli, "sbom", dir, "-o", outs.cli, "--include-dev"];
    const cold = name === "parse-server" ? await timed(cliArgv, work) : undefined;
    for (let i = -1; i < RUNS; i++) {
      const ours = await timed(cliArgv, work);
      const bundled = await timed([process.execPath, entryJs, dir, outs.bundled], work);
      const cdx = await timed(
        [
          process.execPath,
          CYCLONEDX_NPM_CLI,
          "--package-lock-only",
          "--output-format",
          "JSON",
          "--output-file",
          outs.cdx,
        ],
        dir,
      );
      if (i < 0) continue; // warm-up: page cache, compile cache
      runs.cli.push(ours);
      runs.bundled.push(bundled);
      runs.cdx.push(cdx);
    }
    const ours = await countComponents(outs.cli);
    const theirs = await countComponents(outs.cdx);
    const missing = [...theirs.purls].filter((p) => !ours.purls.has(p));
    const bundled = summary(runs.bundled);
    const ourCli = summary(runs.cli);
    const cdx = summary(runs.cdx);
    fixtures.push({
      fixture: name,
      lockfileEntries: entries,
      oursCli: { ...ourCli, components: ours.components, uniquePurls: ours.purls.size },
      ...(cold ? { oursCliColdCacheMs: Math.round(cold.wallMs) } : {}),
      oursBundled: bundled,
      cyclonedxNpm: { ...cdx, components: theirs.components, uniquePurls: theirs.purls.size },
      speedup: Math.round((cdx.medianMs / ourCli.medianMs) * 10) / 10,
      speedupBundled: Math.round((cdx.medianMs / bundled.medianMs) * 10) / 10,
      purlSuperset: missing.length === 0,
      missingPurls: missing,
    });
  }
  const parseServer = fixtures.find((f) => f.fixture === "parse-server")!;
  const cpu = cpus()[0];
  const result = {
    name: "sbom",
    runs: RUNS,
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpu?.model ?? "unknown",
      node: process.version,
      // Other work on the machine inflates short runs most: record how busy it was.
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    peer: "@cyclonedx/cyclonedx-npm --package-lock-only --output-format JSON (includes dev dependencies; ours run with includeDev)",
    nodeStartup: summary(floor),
    fixtures,
    targets: { speedup: TARGET_RATIO, parseServerMs: TARGET_PARSE_SERVER_MS },
    pass:
      fixtures.every((f) => f.purlSuperset && f.speedup >= TARGET_RATIO) &&
      parseServer.oursCli.medianMs < TARGET_PARSE_SERVER_MS,
    measuredAt: new Date().toISOString(),
  };
  await mkdir(join(REPO, "bench", "results"), { recursive: true });
  await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    "| lockfile | generator | median wall | min wall | runs (ms) | median CPU | peak RSS | components | unique purls |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const f of fixtures) {
    const row = (label: string, s: ReturnType<typeof summary>, c: string, u: string) =>
      console.log(
        `| ${f.fixture} | ${label} | ${s.medianMs} ms | ${s.minMs} ms | ${s.runsMs.join(" ")} | ${s.medianCpuMs} ms | ${s.peakRssMb} MB | ${c} | ${u} |`,
      );
    row(
      "`aether sbom` (CLI, warm compile cache)",
      f.oursCli,
      String(f.oursCli.components),
      String(f.oursCli.uniquePurls),
    );
    row("aether library bundled by esbuild", f.oursBundled, "", "");
    row(
      "cyclonedx-npm",
      f.cyclonedxNpm,
      String(f.cyclonedxNpm.components),
      String(f.cyclonedxNpm.uniquePurls),
    );
  }
  console.log(
    `| (any) | node -e "" (start-up floor) | ${result.nodeStartup.medianMs} ms | ${result.nodeStartup.minMs} ms | | ${result.nodeStartup.medianCpuMs} ms | ${result.nodeStartup.peakRssMb} MB | | |`,
  );
  console.log("");
  for (const f of fixtures) {
    console.log(
      `${f.fixture}: ${f.speedup}× faster (${f.speedupBundled}× bundled), purl superset ${f.purlSuperset ? "yes" : `NO (missing ${f.missingPurls.length})`}`,
    );
  }
  const coldMs = fixtures.find((f) => f.oursCliColdCacheMs !== undefined)?.oursCliColdCacheMs;
  if (coldMs !== undefined) console.log(`parse-server, first run with an empty compile cache: ${coldMs} ms`);
  console.log(
    `${result.pass ? "PASS" : "FAIL"} (targets: ≥${TARGET_RATIO}×, parse-server < ${TARGET_PARSE_SERVER_MS} ms; ` +
      `load average ${result.machine.loadAverage.join(" ")} on ${result.machine.cpus} CPUs)`,
  );
  console.log(`wrote ${RESULT_FILE}`);
  if (!result.pass) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
