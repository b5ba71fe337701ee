import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import {
  activeRelease,
  publicRecord,
  readHistory,
  writeHistory,
  type StoredRelease,
} from "./release-history.ts";
import { manifestFor } from "./test-releases.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aether-history-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const release = (number: number, status: StoredRelease["status"]): StoredRelease => ({
  number,
  digest: digestOf(String(number)),
  createdAt: "2026-01-01T00:00:00.000Z",
  status,
  releaseDir: `/r/${number}`,
  manifest: manifestFor(["node", "server.js"]),
  env: { TOKEN: "secret" },
});

describe("release history", () => {
  it("is empty before the first release", async () => {
    expect(await readHistory(join(dir, "none.json"))).toEqual([]);
  });

  it("round-trips releases through a private file, and finds the active one", async () => {
    const file = join(dir, "history.json");
    const releases = [
      release(1, "superseded"),
      { ...release(2, "active"), rollbackOf: 1 },
      { ...release(3, "failed"), reason: "boom" },
    ];
    await writeHistory(file, releases);
    expect(await readHistory(file)).toEqual(releases);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(activeRelease(releases)?.number).toBe(2);
    expect(publicRecord(releases[2] ?? release(0, "failed"))).toEqual({
      number: 3,
      digest: digestOf("3"),
      createdAt: "2026-01-01T00:00:00.000Z",
      status: "failed",
      reason: "boom",
    });
    expect(JSON.stringify(publicRecord(releases[0] ?? release(0, "failed")))).not.toContain("secret");
    expect((await readFile(file, "utf8")).endsWith("\n")).toBe(true);
  });

  it("says which file and field is broken", async () => {
    const file = join(dir, "broken.json");
    await writeFile(file, "{");
    await expect(readHistory(file)).rejects.toThrow(`${file}: is not valid JSON; move the file away`);
    await writeFile(file, JSON.stringify({ releases: [{ ...release(1, "active"), status: "odd" }] }));
    await expect(readHistory(file)).rejects.toThrow("releases[0].status is not one of active, superseded");
    await writeFile(file, JSON.stringify({ releases: [{ ...release(1, "active"), digest: "x" }] }));
    await expect(readHistory(file)).rejects.toThrow("releases[0].digest is not a digest");
  });
});
