import type { V1Deployment } from "@kubernetes/client-node";
import { deploymentReadiness, type DeploymentReadiness } from "./deployment-readiness.ts";
import type { KubeClients } from "./kube-client.ts";
import { kubeErrorFrom } from "./kube-errors.ts";
import { ANNOTATIONS, LABELS, MANAGER } from "./kube-labels.ts";
import { labelValue } from "./kube-names.ts";
import { readKubeReleaseHistory, type KubeReleaseStatus } from "./kube-release-history.ts";

/** One Aether app in one environment on a cluster: what serves now and how its rollout stands. */
export interface KubeAppStatus {
  app: string;
  env: string;
  namespace: string;
  deployment: string;
  /** The live release from the release history, else the Deployment's release annotation. */
  release?: number;
  digest?: string;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  rollout: DeploymentReadiness;
  /** The recorded releases, oldest first (empty when the app has no history ConfigMap). */
  history: {
    release: number;
    digest: string;
    at: string;
    status: KubeReleaseStatus;
    rolledBackTo?: number;
  }[];
}

/**
 * The Deployments Aether manages in a namespace (optionally one environment, one app), each with its
 * release, artifact digest, replica counts and release history.
 * @example for (const s of await listKubeApps({ clients, namespace: "shop" })) print(s.app, s.release)
 */
export async function listKubeApps(request: {
  clients: Pick<KubeClients, "apps" | "core" | "config">;
  namespace: string;
  env?: string;
  app?: string;
}): Promise<KubeAppStatus[]> {
  const { clients, namespace } = request;
  const selector = [
    `${LABELS.managedBy}=${MANAGER}`,
    ...(request.env === undefined ? [] : [`${LABELS.environment}=${labelValue(request.env)}`]),
    ...(request.app === undefined ? [] : [`${LABELS.name}=${labelValue(request.app)}`]),
  ].join(",");
  const server = clients.config.getCurrentCluster()?.server ?? "(unknown server)";
  const list = await clients.apps
    .listNamespacedDeployment({ namespace, labelSelector: selector })
    .catch((error: unknown) => {
      throw kubeErrorFrom(error, {
        server,
        operation: { verb: "list", resource: "deployments.apps", namespace },
      });
    });
  const statuses = await Promise.all(list.items.map((deployment) => statusOf(request, deployment)));
  return statuses.sort((a, b) => a.env.localeCompare(b.env) || a.app.localeCompare(b.app));
}

async function statusOf(
  request: { clients: Pick<KubeClients, "core" | "config">; namespace: string; app?: string },
  deployment: V1Deployment,
): Promise<KubeAppStatus> {
  const labels = deployment.metadata?.labels ?? {};
  const annotations = deployment.metadata?.annotations ?? {};
  // The label holds the app's name as a label value; a name given on the command line is the exact one.
  const app = request.app ?? labels[LABELS.name] ?? deployment.metadata?.name ?? "";
  const env = labels[LABELS.environment] ?? "";
  const { releases } = await readKubeReleaseHistory({
    clients: request.clients,
    namespace: request.namespace,
    app,
    env,
  });
  const live = releases.findLast((r) => r.status === "live");
  const annotated = Number(annotations[ANNOTATIONS.release]);
  const release = live?.release ?? (Number.isInteger(annotated) && annotated > 0 ? annotated : undefined);
  const digest = live?.digest ?? annotations[ANNOTATIONS.artifact];
  const status = deployment.status ?? {};
  return {
    app,
    env,
    namespace: request.namespace,
    deployment: deployment.metadata?.name ?? "",
    ...(release === undefined ? {} : { release }),
    ...(digest === undefined ? {} : { digest }),
    replicas: deployment.spec?.replicas ?? 1,
    readyReplicas: status.readyReplicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    rollout: deploymentReadiness(deployment),
    history: releases.map((r) => ({
      release: r.release,
      digest: r.digest,
      at: r.at,
      status: r.status,
      ...(r.rolledBackTo === undefined ? {} : { rolledBackTo: r.rolledBackTo }),
    })),
  };
}
