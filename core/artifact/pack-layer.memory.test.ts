import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_EPOCH, packLayer } from "./pack-layer.ts";

// SIZE TEST: packs 1 GiB (a sparse file of zeros) plus 8 MiB of random data; about 4 s on a 2-core machine.
const GIB = 1024 * 1024 * 1024;
const LIMIT = 150 * 1024 * 1024;

let base = "";
afterAll(async () => {
  if (base !== "") await rm(base, { recursive: true, force: true });
});

describe("packLayer memory (SIZE TEST: packs 1 GiB; 6 s alone, ~20 s on a busy 2-core machine)", () => {
  it(
    "stays flat while packing a 1 GiB tree (peak RSS growth under 150 MB)",
    { timeout: 120_000 },
    async () => {
      base = await mkdtemp(join(tmpdir(), "aether-pack-memory-"));
      const root = join(base, "tree");
      await mkdir(join(root, "data"), { recursive: true });
      await writeFile(join(root, "data", "zeros.bin"), "");
      await truncate(join(root, "data", "zeros.bin"), GIB);
      for (let i = 0; i < 8; i++)
        await writeFile(join(root, "data", `random-${i}.bin`), randomBytes(1024 * 1024));

      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      let layer;
      try {
        layer = await packLayer({
          root,
          prefix: "",
          exclude: [],
          epoch: DEFAULT_EPOCH,
          outDir: join(base, "out"),
        });
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, process.memoryUsage().rss);

      expect(layer.entries).toBe(10);
      expect((await stat(layer.path)).size).toBe(layer.size);
      // 8 MiB of random data does not compress; 1 GiB of zeros compresses about 1000:1.
      expect(layer.size).toBeGreaterThan(8 * 1024 * 1024);
      expect(layer.size).toBeLessThan(12 * 1024 * 1024);
      expect(peak - before).toBeLessThan(LIMIT);
    },
  );
});
