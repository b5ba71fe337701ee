import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { envDirFor, envPaths, parseEnvName, releaseLogFile } from "./env-paths.ts";
import { InvalidEnvNameError } from "./local-errors.ts";
import { releaseDirFor } from "./release-dir-for.ts";

describe("environment names and paths", () => {
  it("accepts names that are folders and URL labels, and explains a bad one", () => {
    for (const name of ["production", "pr-42", "a", "0", "x".repeat(63)])
      expect(parseEnvName(name)).toBe(name);
    for (const name of ["", "Prod", "-x", "a_b", "../etc", "a/b", "x".repeat(64), "ü"]) {
      expect(() => parseEnvName(name)).toThrow(InvalidEnvNameError);
    }
    expect(() => parseEnvName("My Env")).toThrow(
      '"My Env" is not a valid environment name: use 1 to 63 lowercase letters, digits and dashes',
    );
  });

  it("lays an environment out under <stateDir>/envs/<name>, absolute", () => {
    const envDir = envDirFor({ stateDir: "/s/.aether", envName: "prod" });
    expect(envDir).toBe("/s/.aether/envs/prod");
    expect(envPaths(envDir)).toEqual({
      envDir,
      historyFile: "/s/.aether/envs/prod/history.json",
      supervisorFile: "/s/.aether/envs/prod/supervisor.json",
      supervisorLog: "/s/.aether/envs/prod/supervisor.log",
      logsDir: "/s/.aether/envs/prod/logs",
      releasesDir: "/s/.aether/envs/prod/releases",
    });
    expect(releaseLogFile(envDir, 7)).toBe("/s/.aether/envs/prod/logs/7.log");
    expect(envDirFor({ stateDir: ".aether", envName: "prod" })).toMatch(/^\/.*\/\.aether\/envs\/prod$/);
  });

  it("puts a release folder at releases/<hex of digest>", () => {
    const digest = digestOf("x");
    expect(releaseDirFor({ stateDir: "/s", envName: "prod", digest })).toBe(
      `/s/envs/prod/releases/${digest.slice(7)}`,
    );
    expect(() => releaseDirFor({ stateDir: "/s", envName: "..", digest })).toThrow(InvalidEnvNameError);
  });
});
