import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { parseDeployCommand, parseSupervisorEvent, parseSupervisorStatus } from "./control-protocol.ts";
import { manifestFor } from "./test-releases.ts";

const good = {
  digest: digestOf("a"),
  manifest: manifestFor(["node", "s.js"]),
  releaseDir: "/r",
  env: { A: "1" },
};

describe("control protocol parsing", () => {
  it("accepts a deploy command and names the bad field of a wrong one", () => {
    expect(parseDeployCommand({ ...good, port: 4100, rollbackOf: 2 })).toEqual({
      ...good,
      port: 4100,
      rollbackOf: 2,
    });
    expect(() => parseDeployCommand(null)).toThrow("must be a JSON object");
    expect(() => parseDeployCommand({ ...good, digest: "x" })).toThrow("digest must be");
    expect(() => parseDeployCommand({ ...good, port: 70000 })).toThrow("port must be 1 to 65535");
    expect(() => parseDeployCommand({ ...good, healthTimeoutMs: -1 })).toThrow("healthTimeoutMs");
    expect(() => parseDeployCommand({ ...good, env: { A: 1 } })).toThrow("env must be");
    expect(() => parseDeployCommand({ ...good, manifest: { ...good.manifest, start: [] } })).toThrow("start");
  });

  it("reads a status and the lines of a deploy stream", () => {
    const status = {
      pid: 9,
      startedAt: "t",
      url: "http://127.0.0.1:4100",
      current: { release: 2, state: "up", restarts: 1, pid: 10 },
    };
    expect(parseSupervisorStatus(status)).toEqual(status);
    expect(parseSupervisorStatus({ pid: 9, startedAt: "t", current: { release: 2, state: "odd" } })).toEqual({
      pid: 9,
      startedAt: "t",
    });
    expect(() => parseSupervisorStatus({})).toThrow("no pid");
    expect(parseSupervisorEvent({ type: "probe", attempt: 1 })).toEqual({ type: "probe", attempt: 1 });
    expect(() => parseSupervisorEvent({ type: "nope" })).toThrow("unexpected line");
  });
});
