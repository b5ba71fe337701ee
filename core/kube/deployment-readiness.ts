import type { V1Deployment } from "@kubernetes/client-node";

/** Where a Deployment's rollout stands, read from its server-side status alone. */
export type DeploymentReadiness =
  | { state: "ready"; message: string }
  | { state: "progressing"; message: string }
  | { state: "deadline-exceeded"; message: string };

/**
 * The rule `kubectl rollout status` applies: the controller has observed the latest spec, every desired
 * replica runs the new template, no old replica is left and every updated replica is available; a
 * `Progressing=False/ProgressDeadlineExceeded` condition is a failure.
 * @example deploymentReadiness(event.object).state === "ready"
 */
export function deploymentReadiness(deployment: V1Deployment): DeploymentReadiness {
  const name = deployment.metadata?.name ?? "deployment";
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) {
    return { state: "progressing", message: "waiting for the new spec to be observed" };
  }
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return {
      state: "deadline-exceeded",
      message: `deployment "${name}" exceeded its progress deadline${progressing.message ? `: ${progressing.message}` : ""}`,
    };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) {
    return { state: "progressing", message: `${updated} of ${desired} new replicas updated` };
  }
  // kubectl checks old replicas before availability; for a person, "not available" is the news.
  if (available < updated) {
    return { state: "progressing", message: `${available} of ${updated} updated replicas available` };
  }
  if (total > updated) {
    const old = total - updated;
    const which = old === 1 ? "1 old replica" : `${old} old replicas`;
    return { state: "progressing", message: `${which} still serving until the new pods are available` };
  }
  return { state: "ready", message: `${available}/${desired} replicas ready` };
}
