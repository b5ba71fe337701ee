import { appExcludes } from "./app-excludes.ts";
import type { BuildPlan } from "./build-plan.ts";
import type { Detection } from "./runtime.ts";
import { STATIC_SERVER_FILE, STATIC_SERVER_SOURCE } from "./static-server-source.ts";

/**
 * Plans a static site: the source folder plus a small zero-dependency Node server file is the app layer;
 * there are no dependencies.
 */
export async function planStatic(detection: Detection, dir: string): Promise<BuildPlan> {
  return {
    app: {
      command: [],
      files: [{ path: STATIC_SERVER_FILE, content: STATIC_SERVER_SOURCE }],
      output: { root: ".", prefix: "", exclude: await appExcludes(dir) },
      copySource: true,
    },
    env: {},
    start: detection.start,
    port: detection.port,
    healthPath: detection.healthPath,
  };
}
