import type { DeployKubeRequest, KubeDeployEvent, KubeDeployOutcome } from "./deploy-kube.ts";
import type { KubeClients } from "./kube-client.ts";
import { updateKubeReleaseHistory, type KubeRelease } from "./kube-release-history.ts";
import type { KubeAppPlacement } from "./render-placed-release.ts";
import { rollbackKube } from "./rollback-kube.ts";

/** Records the failed release and, when one served before, rolls back to it; says what serves now. */
export async function recoverFailedDeploy(input: {
  request: DeployKubeRequest;
  placement: KubeAppPlacement;
  failure: { phase: "apply" | "rollout"; message: string; explanation: string[]; logTail: string[] };
  previous: KubeRelease | undefined;
  failed: KubeRelease;
}): Promise<KubeDeployOutcome> {
  const { request, placement, failure, previous, failed } = input;
  const scope = {
    clients: request.clients,
    namespace: placement.namespace,
    app: request.app,
    env: request.env,
  };
  if (previous === undefined) {
    await recordFailed(request, scope, failed, undefined);
    return {
      ok: false,
      ...failure,
      explanation: [...failure.explanation, "nothing served before: no rollback"],
    };
  }
  const emit = (event: KubeDeployEvent) => request.onEvent?.(event);
  const started = request.clock();
  emit({ type: "phase-started", phase: "rollback" });
  const back = await rollbackKube({
    ...placement,
    clients: request.clients,
    to: previous.release,
    clock: request.clock,
    ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    onProgress: (message) => emit({ type: "progress", phase: "rollback", message }),
  });
  const ms = request.clock() - started;
  if (!back.ok) {
    emit({ type: "phase-failed", phase: "rollback", ms, message: back.message, logTail: back.logTail });
    await recordFailed(request, scope, failed, undefined);
    return {
      ok: false,
      ...failure,
      explanation: [...failure.explanation, `the rollback failed too: ${back.message}`, ...back.explanation],
    };
  }
  emit({ type: "phase-finished", phase: "rollback", ms, detail: `release ${back.release} serves again` });
  await recordFailed(request, scope, failed, back.release);
  return {
    ok: false,
    ...failure,
    explanation: [...failure.explanation, `rolled back: release ${back.release} serves again`],
    rolledBackTo: back.release,
  };
}

async function recordFailed(
  request: DeployKubeRequest,
  scope: { clients: KubeClients; namespace: string; app: string; env: string },
  release: KubeRelease,
  rolledBackTo: number | undefined,
): Promise<void> {
  const record: KubeRelease = {
    ...release,
    status: "failed",
    ...(rolledBackTo === undefined ? {} : { rolledBackTo }),
  };
  await updateKubeReleaseHistory({
    ...scope,
    change: (current) =>
      [...current.filter((r) => r.release !== release.release), record].sort((a, b) => a.release - b.release),
  }).catch((error: unknown) =>
    request.onEvent?.({
      type: "progress",
      phase: "rollout",
      message: `could not record release ${release.release} as failed in the history: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
}
