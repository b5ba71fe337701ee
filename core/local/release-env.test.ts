import { describe, expect, it } from "vitest";
import { releaseEnv, resolveReleasePaths } from "./release-env.ts";

describe("releaseEnv", () => {
  it("layers base < manifest < user < Aether's own, and resolves manifest paths against the release", () => {
    const env = releaseEnv({
      base: { PATH: "/bin", HOME: "/root", PORT: "1", UNSET: undefined },
      manifest: { env: { PYTHONPATH: ".deps", MODE: "prod", HOME: "./home" } },
      releaseDir: "/r/rel",
      userEnv: { MODE: "staging", SECRET: "./not-a-path", PORT: "9" },
      port: 4321,
      envDir: "/r",
      release: 3,
    });
    expect(env).toEqual({
      PATH: "/bin",
      HOME: "/r/rel/home",
      PYTHONPATH: "/r/rel/.deps",
      MODE: "staging",
      SECRET: "./not-a-path",
      PORT: "4321",
      AETHER_ENV_DIR: "/r",
      AETHER_RELEASE: "3",
    });
  });

  it("resolves each path-list segment that starts with a dot, and leaves the others", () => {
    expect(resolveReleasePaths(".", "/r")).toBe("/r");
    expect(resolveReleasePaths(".deps/*:app.jar:/opt/x.jar:./lib", "/r")).toBe(
      "/r/.deps/*:app.jar:/opt/x.jar:/r/lib",
    );
    expect(resolveReleasePaths("../shared", "/r/rel")).toBe("/r/shared");
    expect(resolveReleasePaths("production", "/r")).toBe("production");
    expect(resolveReleasePaths("", "/r")).toBe("");
  });
});
