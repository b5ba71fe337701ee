import type { Digest } from "../artifact/digest.ts";
import { manifestDigest } from "../artifact/manifest-codec.ts";
import { applyObjects, type AppliedObject } from "./apply-objects.ts";
import { explainRolloutFailure } from "./explain-rollout-failure.ts";
import type { KubeClients } from "./kube-client.ts";
import {
  liveRelease,
  markLive,
  nextReleaseNumber,
  readKubeReleaseHistory,
  releaseHistoryName,
  updateKubeReleaseHistory,
  type KubeRelease,
} from "./kube-release-history.ts";
import { dnsLabel } from "./kube-names.ts";
import type { KubeObject } from "./kube-object.ts";
import { pruneObjects } from "./prune-objects.ts";
import { envSecretName, renderEnvSecret } from "./render-env-secret.ts";
import { previewNamespaceName, renderPreviewNamespace } from "./render-preview-namespace.ts";
import type { RenderAppRequest } from "./render-app.ts";
import { envChecksum, renderPlacedRelease, type KubeAppPlacement } from "./render-placed-release.ts";
import { recoverFailedDeploy } from "./recover-failed-deploy.ts";
import { watchRollout } from "./watch-rollout.ts";

export type KubeDeployPhase = "apply" | "rollout" | "rollback";

/** What a Kubernetes deploy reports while it runs (the CLI draws progress from these). */
export type KubeDeployEvent =
  | { type: "phase-started"; phase: KubeDeployPhase }
  | { type: "phase-finished"; phase: KubeDeployPhase; ms: number; detail: string }
  | { type: "phase-failed"; phase: KubeDeployPhase; ms: number; message: string; logTail: string[] }
  | { type: "progress"; phase: KubeDeployPhase; message: string };

/** What renderApp takes, less what deployKube decides itself (the release number, the env Secret's name). */
type RenderedPlacement = Pick<
  RenderAppRequest,
  "app" | "env" | "repository" | "manifest" | "storeUrl" | "runtimeImage" | "fetcherImage" | "host" | "tls"
>;

export interface DeployKubeRequest extends RenderedPlacement {
  clients: KubeClients;
  /** Target namespace; with `preview`, the preview's own namespace (`<repo>-pr-<n>`) is used instead. */
  namespace: string;
  /** The artifact digest: the sha256 of `manifest`'s canonical JSON (checked). */
  digest: Digest;
  /** The app's environment (DATABASE_URL …), stored in a Secret the container reads. */
  envVars?: Record<string, string>;
  preview?: { pullRequest: number; expiresAt: Date };
  /** Our deadline for the rollout (default 180 s), besides the Deployment's own progress deadline. */
  timeoutMs?: number;
  clock: () => number;
  /** Wall time for the release history (default: the system time). */
  now?: () => Date;
  onEvent?: (event: KubeDeployEvent) => void;
  signal?: AbortSignal;
}

export type KubeDeployOutcome =
  | {
      ok: true;
      release: number;
      url?: string;
      readyAt: number;
      reportedAt: number;
      timings: { apply: number; rollout: number; total: number };
    }
  | {
      ok: false;
      phase: "apply" | "rollout";
      message: string;
      explanation: string[];
      logTail: string[];
      rolledBackTo?: number;
    };

/** Where the preview namespace's network policy admits traffic from. */
const INGRESS_NAMESPACE = "ingress-nginx";

/**
 * Deploys one artifact to Kubernetes: renders the app (and a preview's namespace, and a Secret for its
 * environment), server-side applies it, prunes what the release no longer renders, and watches the
 * rollout. When the rollout fails it explains why from the pods and rolls back to the release that served
 * before; the release history on the cluster records both. Expected failures are outcomes, not throws.
 * @example const outcome = await deployKube({ clients, app: "web", env: "production", namespace: "web", … });
 */
export async function deployKube(request: DeployKubeRequest): Promise<KubeDeployOutcome> {
  if (manifestDigest(request.manifest) !== request.digest) {
    throw new Error(`deployKube: digest ${request.digest} is not the digest of the manifest given with it`);
  }
  const { clock } = request;
  const emit = (event: KubeDeployEvent) => request.onEvent?.(event);
  const started = clock();
  const namespace = request.preview
    ? previewNamespaceName(request.repository, request.preview.pullRequest)
    : request.namespace;
  const placement: KubeAppPlacement = {
    app: request.app,
    env: request.env,
    namespace,
    repository: request.repository,
    storeUrl: request.storeUrl,
    ...(request.host === undefined ? {} : { host: request.host }),
    ...(request.tls === undefined ? {} : { tls: request.tls }),
    ...(request.envVars && Object.keys(request.envVars).length > 0
      ? { envSecretName: envSecretName(request.app), envChecksum: envChecksum(request.envVars) }
      : {}),
  };
  const scope = { clients: request.clients, namespace, app: request.app, env: request.env };
  const signal = request.signal === undefined ? {} : { signal: request.signal };

  emit({ type: "phase-started", phase: "apply" });
  const applied: AppliedObject[] = [];
  let previous: KubeRelease | undefined;
  let release: KubeRelease | undefined;
  try {
    // In a preview namespace that does not exist yet this reads a 404: no history, release 1.
    const history = (await readKubeReleaseHistory(scope)).releases;
    previous = liveRelease(history);
    release = {
      release: nextReleaseNumber(history),
      digest: request.digest,
      at: (request.now?.() ?? new Date()).toISOString(),
      status: "live",
      runtimeImage: request.runtimeImage,
      fetcherImage: request.fetcherImage,
      manifest: request.manifest,
    };
    const objects = renderObjects(request, placement, release);
    await applyObjects({ clients: request.clients, objects, ...signal, onApplied: (o) => applied.push(o) });
    const { pruned } = await pruneObjects({
      ...scope,
      keep: [...objects, historyRef(namespace, request.app, request.env)],
      ...signal,
    });
    const ms = clock() - started;
    const removed =
      pruned.length > 0 ? ` · pruned ${pruned.map((p) => `${p.kind}/${p.name}`).join(", ")}` : "";
    emit({
      type: "phase-finished",
      phase: "apply",
      ms,
      detail: `${applied.length} objects applied${removed}`,
    });
  } catch (error) {
    const message = errorMessage(error);
    emit({ type: "phase-failed", phase: "apply", ms: clock() - started, message, logTail: [] });
    const failure = { phase: "apply" as const, message, explanation: [], logTail: [] };
    // Cancelled: stop here; the Deployment keeps its old pods until the new ones are available.
    if (request.signal?.aborted) return { ok: false, ...failure };
    if (release === undefined || !applied.some((o) => o.kind === "Deployment")) {
      const serving = previous
        ? [`release ${previous.release} still serves: its Deployment was not changed`]
        : [];
      return { ok: false, ...failure, explanation: serving };
    }
    return recoverFailedDeploy({ request, placement, failure, previous, failed: release });
  }

  const appliedAt = clock();
  emit({ type: "phase-started", phase: "rollout" });
  const name = dnsLabel(request.app);
  const rollout = await watchRollout({
    clients: request.clients,
    namespace,
    name,
    timeoutMs: request.timeoutMs ?? 180_000,
    clock,
    ...signal,
    onProgress: (message) => emit({ type: "progress", phase: "rollout", message }),
  });
  if (rollout.ok) {
    const rolloutMs = rollout.readyAt - appliedAt;
    const live = release;
    emit({
      type: "phase-finished",
      phase: "rollout",
      ms: rolloutMs,
      detail: `release ${release.release} ready · ${rollout.message}`,
    });
    // The release serves whatever happens here; a history that cannot be written is worth a warning only.
    await updateKubeReleaseHistory({ ...scope, change: (current) => markLive(current, live) }).catch(
      (error: unknown) =>
        emit({
          type: "progress",
          phase: "rollout",
          message: `release ${live.release} serves, but could not be recorded in the history: ${errorMessage(error)}`,
        }),
    );
    const reportedAt = clock();
    const url = request.host ? `${request.tls ? "https" : "http"}://${request.host}` : undefined;
    return {
      ok: true,
      release: release.release,
      ...(url === undefined ? {} : { url }),
      readyAt: rollout.readyAt,
      reportedAt,
      timings: { apply: appliedAt - started, rollout: rolloutMs, total: reportedAt - started },
    };
  }
  const explained =
    rollout.reason === "aborted"
      ? { lines: [], logTail: [] }
      : await explainRolloutFailure({ clients: request.clients, namespace, name });
  const failure = {
    phase: "rollout" as const,
    message: `release ${release.release} did not become ready: ${rollout.message}`,
    explanation: explained.lines,
    logTail: explained.logTail,
  };
  const ms = clock() - appliedAt;
  emit({ type: "phase-failed", phase: "rollout", ms, message: failure.message, logTail: failure.logTail });
  if (rollout.reason === "aborted") return { ok: false, ...failure };
  return recoverFailedDeploy({ request, placement, failure, previous, failed: release });
}

function renderObjects(
  request: DeployKubeRequest,
  placement: KubeAppPlacement,
  release: KubeRelease,
): KubeObject[] {
  const objects: KubeObject[] = [];
  if (request.preview) {
    objects.push(
      ...renderPreviewNamespace({
        repository: request.repository,
        pullRequest: request.preview.pullRequest,
        expiresAt: request.preview.expiresAt.toISOString(),
        ingressNamespace: INGRESS_NAMESPACE,
      }),
    );
  }
  if (placement.envSecretName !== undefined && request.envVars) {
    objects.push(renderEnvSecret({ ...placement, values: request.envVars }));
  }
  objects.push(...renderPlacedRelease(placement, release));
  return objects;
}

/** The history ConfigMap, so pruning (which considers ConfigMaps with the app's labels) keeps it. */
function historyRef(namespace: string, app: string, env: string): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: releaseHistoryName(app, env), namespace } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
