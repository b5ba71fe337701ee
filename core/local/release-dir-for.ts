import type { Digest } from "../artifact/digest.ts";
import { join } from "node:path";
import { envDirFor } from "./env-paths.ts";

/**
 * The folder the pipeline extracts an artifact into before `deployLocal`:
 * `<stateDir>/envs/<env>/releases/<hex of digest>`. One folder per digest, so redeploying or rolling back to
 * the same artifact reuses it.
 */
export function releaseDirFor(where: { stateDir: string; envName: string; digest: Digest }): string {
  return join(envDirFor(where), "releases", where.digest.slice("sha256:".length));
}
