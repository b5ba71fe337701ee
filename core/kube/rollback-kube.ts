import { ApiException } from "@kubernetes/client-node";
import { applyObjects } from "./apply-objects.ts";
import { kubeErrorFrom } from "./kube-errors.ts";
import { serverOf } from "./kube-request.ts";
import { explainRolloutFailure } from "./explain-rollout-failure.ts";
import type { KubeClients } from "./kube-client.ts";
import {
  liveRelease,
  markLive,
  readKubeReleaseHistory,
  updateKubeReleaseHistory,
  type KubeRelease,
} from "./kube-release-history.ts";
import { dnsLabel } from "./kube-names.ts";
import {
  ENV_CHECKSUM_ANNOTATION,
  renderPlacedRelease,
  type KubeAppPlacement,
} from "./render-placed-release.ts";
import { watchRollout } from "./watch-rollout.ts";

/** Without `envSecretName`, the Secret (and checksum) the live Deployment uses are kept. */
export interface RollbackKubeRequest extends KubeAppPlacement {
  clients: KubeClients;
  /** The release to restore; default: the newest good release before the live one. */
  to?: number;
  /** Default 180 s. */
  timeoutMs?: number;
  clock: () => number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export type RollbackKubeOutcome =
  | { ok: true; release: number; readyAt: number }
  | { ok: false; release?: number; message: string; explanation: string[]; logTail: string[] };

/**
 * Restores an earlier good release: renders it again from its recorded inputs (digest, manifest, images)
 * with the app's current placement, applies it, waits for the rollout, and records it live. The pods
 * template equals the earlier one, so Kubernetes reuses that release's ReplicaSet.
 * @example await rollbackKube({ clients, app: "web", env: "production", namespace: "web", repository: "octo/web", storeUrl, clock });
 */
export async function rollbackKube(request: RollbackKubeRequest): Promise<RollbackKubeOutcome> {
  const { releases } = await readKubeReleaseHistory(request);
  const target = chooseTarget(releases, request.to);
  if (typeof target === "string") return { ok: false, message: target, explanation: [], logTail: [] };
  const name = dnsLabel(request.app);
  let objects;
  try {
    const placement =
      request.envSecretName === undefined ? { ...request, ...(await liveEnv(request, name)) } : request;
    objects = renderPlacedRelease(placement, target);
    await applyObjects({
      clients: request.clients,
      objects,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, release: target.release, message, explanation: [], logTail: [] };
  }
  const result = await watchRollout({
    clients: request.clients,
    namespace: request.namespace,
    name,
    timeoutMs: request.timeoutMs ?? 180_000,
    clock: request.clock,
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
  });
  if (!result.ok) {
    const explained = await explainRolloutFailure({
      clients: request.clients,
      namespace: request.namespace,
      name,
    });
    return {
      ok: false,
      release: target.release,
      message: `release ${target.release} did not become ready again: ${result.message}`,
      explanation: explained.lines,
      logTail: explained.logTail,
    };
  }
  await updateKubeReleaseHistory({ ...request, change: (current) => markLive(current, target) });
  return { ok: true, release: target.release, readyAt: result.readyAt };
}

/** The environment Secret the live Deployment's pods read, so a rollback keeps the app's environment. */
async function liveEnv(
  request: RollbackKubeRequest,
  name: string,
): Promise<{ envSecretName?: string; envChecksum?: string }> {
  let deployment;
  try {
    deployment = await request.clients.apps.readNamespacedDeployment({ name, namespace: request.namespace });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return {};
    throw kubeErrorFrom(error, {
      server: serverOf(request.clients),
      operation: { verb: "get", resource: "deployments.apps", namespace: request.namespace, name },
    });
  }
  const template = deployment.spec?.template;
  const secret = template?.spec?.containers[0]?.envFrom?.find((e) => e.secretRef)?.secretRef?.name;
  const checksum = template?.metadata?.annotations?.[ENV_CHECKSUM_ANNOTATION];
  return {
    ...(secret === undefined ? {} : { envSecretName: secret }),
    ...(checksum === undefined ? {} : { envChecksum: checksum }),
  };
}

function chooseTarget(releases: KubeRelease[], to: number | undefined): KubeRelease | string {
  if (to !== undefined) {
    const found = releases.find((r) => r.release === to);
    if (found === undefined) {
      const known = releases.map((r) => r.release).join(", ") || "none";
      return `release ${to} is not in this environment's history (releases: ${known})`;
    }
    if (found.status === "failed") return `release ${to} never became ready; pick a release that served`;
    return found;
  }
  const live = liveRelease(releases);
  const earlier = releases.filter(
    (r) => r.status === "superseded" && (live === undefined || r.release < live.release),
  );
  return earlier.at(-1) ?? "there is no earlier good release to roll back to";
}
