import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_EPOCH, packLayer } from "../core/artifact/pack-layer.ts";

/** The bar: our packer may take at most this many times as long as `tar -czf`. */
export const PACK_RATIO_LIMIT = 1.5;

const REPO = resolve(import.meta.dirname, "..");
const DEFAULT_TREE = join(REPO, "examples", "node-express");
const RESULT_FILE = join(REPO, "bench", "results", "pack.json");

export interface PackBenchResult {
  name: "pack";
  tree: string;
  runs: number;
  machine: { cpus: number; cpuModel: string; node: string; zlib: string };
  ours: { medianMs: number; runsMs: number[]; bytes: number; entries: number; digest: string };
  tar: { medianMs: number; runsMs: number[]; bytes: number; command: string };
  /** ours.medianMs / tar.medianMs */
  ratio: number;
  limit: number;
  /** Every one of our packs had the same digest, and two of them were re-read from disk and compared. */
  identical: boolean;
  pass: boolean;
  measuredAt: string;
}

/**
 * Packs `tree` with our packer and with the system `tar -czf`, alternating, after one warm-up each so both
 * read from the page cache; reports median wall times and writes bench/results/pack.json.
 * @example await benchPack({ tree: "examples/node-express", runs: 5 })
 */
export async function benchPack(opts: { tree: string; runs?: number }): Promise<PackBenchResult> {
  const tree = resolve(opts.tree);
  const runs = opts.runs ?? 5;
  if (!existsSync(tree)) throw new Error(`bench pack: ${tree} does not exist; pass a folder to pack`);
  const work = await mkdtemp(join(tmpdir(), "aether-bench-pack-"));
  try {
    const tarFile = join(work, "tar.tar.gz");
    const tarArgs = ["-czf", tarFile, "-C", tree, "."];
    const oursMs: number[] = [];
    const tarMs: number[] = [];
    const layers: Array<{ path: string; digest: string; size: number; entries: number }> = [];
    for (let run = -1; run < runs; run++) {
      const outDir = join(work, `ours-${run + 1}`);
      const started = performance.now();
      const layer = await packLayer({ root: tree, prefix: "", exclude: [], epoch: DEFAULT_EPOCH, outDir });
      const oursTime = performance.now() - started;
      const tarTime = await timeCommand("tar", tarArgs);
      if (run < 0) continue; // warm-up
      oursMs.push(oursTime);
      tarMs.push(tarTime);
      layers.push(layer);
    }
    const first = layers[0]!;
    const second = layers[1] ?? first;
    const identical =
      layers.every((l) => l.digest === first.digest) &&
      (await fileSha256(first.path)) === (await fileSha256(second.path)) &&
      `sha256:${await fileSha256(first.path)}` === first.digest;
    const ours = median(oursMs);
    const tar = median(tarMs);
    const cpu = cpus()[0];
    const result: PackBenchResult = {
      name: "pack",
      tree,
      runs,
      machine: {
        cpus: availableParallelism(),
        cpuModel: cpu?.model ?? "unknown",
        node: process.version,
        zlib: process.versions.zlib ?? "unknown",
      },
      ours: {
        medianMs: round(ours),
        runsMs: oursMs.map(round),
        bytes: first.size,
        entries: first.entries,
        digest: first.digest,
      },
      tar: {
        medianMs: round(tar),
        runsMs: tarMs.map(round),
        bytes: (await stat(tarFile)).size,
        command: `tar ${tarArgs.join(" ")}`,
      },
      ratio: Math.round((ours / tar) * 1000) / 1000,
      limit: PACK_RATIO_LIMIT,
      identical,
      pass: identical && ours / tar <= PACK_RATIO_LIMIT,
      measuredAt: new Date().toISOString(),
    };
    await mkdir(join(REPO, "bench", "results"), { recursive: true });
    await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A small plain-text table of a result, for the terminal. */
export function formatPackTable(result: PackBenchResult): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const rows = [
    ["", "median", "runs", "size"],
    ["aether", `${result.ours.medianMs} ms`, result.ours.runsMs.join(" "), mb(result.ours.bytes)],
    ["tar -czf", `${result.tar.medianMs} ms`, result.tar.runsMs.join(" "), mb(result.tar.bytes)],
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join("  ")
      .trimEnd(),
  );
  lines.push(
    `ratio ${result.ratio} (limit ${result.limit}) · byte-identical ${result.identical ? "yes" : "NO"} · ` +
      `${result.ours.entries} entries · ${result.pass ? "PASS" : "FAIL"}`,
  );
  return lines.join("\n");
}

function timeCommand(command: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      if (code === 0) done(performance.now() - started);
      else fail(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(ms: number): number {
  return Math.round(ms);
}

if (import.meta.main) {
  const tree = process.argv[2] ?? DEFAULT_TREE;
  if (process.argv[2] === undefined && !existsSync(join(DEFAULT_TREE, "node_modules"))) {
    // The input is the example *with* its node_modules: install them (git ignores the folder).
    console.log(`bench pack: installing ${DEFAULT_TREE}/node_modules (npm ci)`);
    const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: DEFAULT_TREE,
      stdio: "inherit",
    });
    if (npm.status !== 0) {
      console.error(
        `bench pack: npm ci failed in ${DEFAULT_TREE}; pass a tree instead: node bench/pack.ts <folder>`,
      );
      process.exit(2);
    }
  }
  const result = await benchPack({ tree });
  console.log(`pack: ${result.tree}`);
  console.log(formatPackTable(result));
  console.log(`wrote ${RESULT_FILE}`);
  if (!result.pass) process.exitCode = 1;
}
