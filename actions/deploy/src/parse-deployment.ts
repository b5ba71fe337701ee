import { AppApiError } from "./app-api-error.ts";

export const DEPLOYMENT_STATES = ["queued", "in_progress", "success", "failure"] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** A deployment as the app's API reports it (`/api/v1/deployments/:id`). */
export interface Deployment {
  id: string;
  state: DeploymentState;
  url?: string;
  message?: string;
}

/**
 * Reads the app's answer about a deployment; `where` names the request in errors. The id may be absent in
 * a GET answer, where the caller already knows it (`knownId`); the state may be absent in the POST answer
 * (202 `{id, statusUrl}`), where the deployment has just been queued.
 */
export function parseDeployment(
  body: unknown,
  where: string,
  known: { id?: string; state?: DeploymentState } = {},
): Deployment {
  const fail = (what: string): never => {
    throw new AppApiError("protocol", `${where}: the Aether app answered ${what}; is app-url an Aether app?`);
  };
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return fail("something other than a JSON object");
  const record = body as Record<string, unknown>;
  const rawId = record["id"] ?? known.id;
  const id = typeof rawId === "number" ? String(rawId) : rawId;
  if (typeof id !== "string" || id === "") return fail("without a deployment id");
  const state = record["state"] ?? known.state;
  if (typeof state !== "string" || !(DEPLOYMENT_STATES as readonly string[]).includes(state)) {
    return fail(`with state ${JSON.stringify(state)} (expected one of ${DEPLOYMENT_STATES.join(", ")})`);
  }
  const url = record["url"];
  const message = record["message"];
  return {
    id,
    state: state as DeploymentState,
    ...(typeof url === "string" && url !== "" ? { url } : {}),
    ...(typeof message === "string" && message !== "" ? { message } : {}),
  };
}
