import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { measureResponseTimes } from "./measure-response-times.ts";

describe("measureResponseTimes", () => {
  it("reports the median and 95th percentile of the answers, by nearest rank", async () => {
    let served = 0;
    const server = createServer((_req, res) => {
      served += 1;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // A clock that advances by the request's number: request i takes i ms.
    let tick = 0;
    let calls = 0;
    const clock = () => {
      calls += 1;
      if (calls % 2 === 0) tick += calls / 2;
      return tick;
    };
    try {
      expect(await measureResponseTimes(url, { requests: 20, clock })).toEqual({ p50: 10, p95: 19 });
      expect(served).toBe(20);
    } finally {
      server.close();
    }
  });

  it("has nothing to report when nothing answers", async () => {
    expect(
      await measureResponseTimes("http://127.0.0.1:9/", { requests: 2, timeoutMs: 200 }),
    ).toBeUndefined();
  });
});
