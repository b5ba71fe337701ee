import { delimiter, resolve } from "node:path";
import type { ArtifactManifest } from "../artifact/manifest.ts";

/**
 * The environment a release process starts with, lowest precedence first: the supervisor's own environment,
 * the manifest's env, the user's env, then what Aether sets (`PORT` and two markers), which nothing overrides.
 *
 * Path rule for manifest values: each `path.delimiter`-separated segment that starts with "." (".", "./lib",
 * ".deps", "../x") is a path relative to the release folder and is made absolute, so PYTHONPATH=.deps or
 * CLASSPATH=.deps/*:app.jar work whatever folder the app changes into. Other segments pass unchanged. The
 * user's values are never rewritten.
 */
export function releaseEnv(request: {
  base: Record<string, string | undefined>;
  manifest: Pick<ArtifactManifest, "env">;
  releaseDir: string;
  userEnv: Record<string, string>;
  port: number;
  envDir: string;
  release: number;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.base)) if (value !== undefined) env[key] = value;
  for (const [key, value] of Object.entries(request.manifest.env)) {
    env[key] = resolveReleasePaths(value, request.releaseDir);
  }
  Object.assign(env, request.userEnv);
  env["PORT"] = String(request.port);
  // Markers: let a successor supervisor recognise its predecessor's orphans, and an app know its release.
  env["AETHER_ENV_DIR"] = request.envDir;
  env["AETHER_RELEASE"] = String(request.release);
  return env;
}

/** Applies the path rule above to one manifest value. */
export function resolveReleasePaths(value: string, releaseDir: string): string {
  return value
    .split(delimiter)
    .map((segment) => (segment.startsWith(".") ? resolve(releaseDir, segment) : segment))
    .join(delimiter);
}
