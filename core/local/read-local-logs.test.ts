import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployLocal } from "./deploy-local.ts";
import { destroyLocal } from "./destroy-local.ts";
import type { LogLine } from "./log-writer.ts";
import { readLocalLogs, type ReadLocalLogsRequest } from "./read-local-logs.ts";
import { eventually, get, launchSupervisor, makeStateDir, nodeRelease } from "./test-releases.ts";

let stateDir = "";
const envName = "logs";
let url = "";

beforeAll(async () => {
  stateDir = await makeStateDir();
  const release = await nodeRelease({ stateDir, envName, version: "l1" });
  const result = await deployLocal({ stateDir, envName, ...release, launchSupervisor });
  if (!result.ok) throw new Error(result.reason);
  url = result.url;
  for (const word of ["one", "two", "three"]) await get(`${url}/log?${word}`);
});

afterAll(async () => {
  await destroyLocal({ stateDir, envName });
  await rm(stateDir, { recursive: true, force: true });
});

async function collect(request: Omit<ReadLocalLogsRequest, "stateDir" | "envName">): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of readLocalLogs({ stateDir, envName, ...request })) lines.push(line);
  return lines;
}

describe("readLocalLogs", () => {
  it("reads the serving release's log: Aether's lines and the app's, with stream and release", async () => {
    const lines = await eventually(async () => {
      const all = await collect({});
      return all.some((l) => l.line === "three") ? all : undefined;
    });
    expect(lines[0]).toMatchObject({
      stream: "aether",
      release: 1,
      line: expect.stringMatching(/^starting release 1: node server.js/),
    });
    expect(lines).toContainEqual({ t: expect.any(String), stream: "stdout", line: "two", release: 1 });
    expect(lines.map((l) => l.line).filter((l) => ["one", "two", "three"].includes(l))).toEqual([
      "one",
      "two",
      "three",
    ]);
  });

  it("keeps only the last lines with tail, and lines from a time on with since", async () => {
    expect((await collect({ tail: 2 })).map((l) => l.line)).toEqual(["two", "three"]);
    expect(await collect({ tail: 0 })).toEqual([]);
    const all = await collect({});
    const third = all.at(-2);
    const since = new Date(third?.t ?? 0);
    const after = await collect({ since });
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.every((l) => Date.parse(l.t) >= since.getTime())).toBe(true);
    expect(await collect({ since: new Date(Date.now() + 60_000) })).toEqual([]);
    await expect(collect({ release: 7 })).rejects.toThrow('release 7 of "logs" has no log');
  });

  it("follows: yields lines printed after it began, across a release switch, until aborted", async () => {
    const stop = new AbortController();
    const seen: LogLine[] = [];
    const following = (async () => {
      for await (const line of readLocalLogs({
        stateDir,
        envName,
        tail: 0,
        follow: true,
        signal: stop.signal,
        pollMs: 50,
      })) {
        seen.push(line);
      }
    })();
    await get(`${url}/log?after-the-call`);
    await eventually(async () => (seen.some((l) => l.line === "after-the-call") ? true : undefined));
    const next = await nodeRelease({ stateDir, envName, version: "l2" });
    const result = await deployLocal({ stateDir, envName, ...next, launchSupervisor });
    expect(result.ok).toBe(true);
    await get(`${url}/log?from-release-2`);
    await eventually(async () => (seen.some((l) => l.line === "from-release-2") ? true : undefined));
    stop.abort();
    await following;
    expect(seen.find((l) => l.line === "after-the-call")?.release).toBe(1);
    expect(seen.find((l) => l.line === "from-release-2")?.release).toBe(2);
    expect(
      seen.some((l) => l.release === 2 && l.line === "l2 listening on " + /\d+$/.exec(l.line)?.[0]),
    ).toBe(true);
    expect(seen.some((l) => ["one", "two", "three"].includes(l.line))).toBe(false);
  });
});
