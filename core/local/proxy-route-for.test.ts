import { describe, expect, it } from "vitest";
import { proxyRouteFor, type KeptRelease } from "./proxy-route-for.ts";

const kept = (state: KeptRelease["state"], extra: Partial<KeptRelease> = {}): KeptRelease => ({
  release: { number: 4 },
  state,
  process: undefined,
  restartInMs: undefined,
  ...extra,
});

describe("proxyRouteFor", () => {
  it("routes to the serving release's internal port", () => {
    const keeper = kept("up", { process: { port: 45_001 } });
    expect(proxyRouteFor({ envName: "prod", keeper, deploying: 5 })).toEqual({
      kind: "up",
      port: 45_001,
      release: 4,
    });
  });

  it("answers 503 while the first release (or a resumed one) starts", () => {
    expect(proxyRouteFor({ envName: "prod", keeper: undefined, deploying: 1 })).toEqual({
      kind: "unavailable",
      status: 503,
      message: "release 1 of prod is starting; try again in a moment",
    });
    expect(proxyRouteFor({ envName: "prod", keeper: kept("starting"), deploying: undefined })).toMatchObject({
      status: 503,
      message: "release 4 of prod is starting; try again in a moment",
    });
  });

  it("answers 502 after a crash, saying when the restart comes", () => {
    expect(
      proxyRouteFor({ envName: "prod", keeper: kept("restarting", { restartInMs: 1_500 }), deploying: 5 }),
    ).toEqual({
      kind: "unavailable",
      status: 502,
      message: "release 4 of prod crashed; restarting in 2 s",
    });
    expect(
      proxyRouteFor({ envName: "prod", keeper: kept("restarting"), deploying: undefined }),
    ).toMatchObject({
      message: "release 4 of prod crashed; restarting",
    });
  });

  it("answers 502 when nothing runs", () => {
    for (const keeper of [undefined, kept("down")]) {
      expect(proxyRouteFor({ envName: "prod", keeper, deploying: undefined })).toEqual({
        kind: "unavailable",
        status: 502,
        message: "no release of prod is running; deploy one with aether deploy",
      });
    }
  });
});
