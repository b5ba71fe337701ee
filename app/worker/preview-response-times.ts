import type { PreviewCommentState } from "../../core/report/preview-comment.ts";
import type { DeployRequest } from "./deploy-records.ts";
import { measureResponseTimes } from "./measure-response-times.ts";
import type { AppDeps } from "./worker-deps.ts";

/** The preview's response times after rollout, beside production's (of the same app) when it runs. */
export async function previewResponseTimes(
  deps: AppDeps,
  request: DeployRequest,
  url: string,
): Promise<PreviewCommentState["responseTimes"]> {
  const preview = await measureResponseTimes(url);
  if (preview === undefined) return undefined;
  const serving = await deps.target.current({ ...request, env: "production" }).catch(() => undefined);
  const production = serving ? await measureResponseTimes(serving.url) : undefined;
  return { preview, ...(production ? { production } : {}) };
}
