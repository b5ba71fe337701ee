import type { AetherConfig } from "../../core/config/config-schema.ts";
import type { DeployRequest } from "./deploy-records.ts";
import { formatExpiry } from "./preview-lifetimes.ts";
import type { AppDeps } from "./worker-deps.ts";

/** When the preview expires now that it was deployed: its time to live from now, or a later extension. */
export async function previewExpiry(
  deps: AppDeps,
  request: DeployRequest,
  config: AetherConfig,
): Promise<string> {
  const byDeploy = deps.now() + config.previews.ttlMs;
  const live = await deps.records.lifetimes.find(request);
  const extended = live?.extendedUntil?.getTime() ?? 0;
  return formatExpiry(new Date(Math.max(byDeploy, extended)));
}
