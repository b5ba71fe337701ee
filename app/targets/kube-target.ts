import type { RuntimeName } from "../../core/artifact/manifest.ts";
import { deployKube } from "../../core/kube/deploy-kube.ts";
import { destroyKubeApp } from "../../core/kube/destroy-kube-app.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { appSelector } from "../../core/kube/kube-labels.ts";
import { liveRelease, readKubeReleaseHistory } from "../../core/kube/kube-release-history.ts";
import { kubeRuntimeImages } from "../../core/kube/kube-runtime-images.ts";
import type { RenderAppRequest } from "../../core/kube/render-app.ts";
import { previewNamespaceName } from "../../core/kube/render-preview-namespace.ts";
import { rollbackKube } from "../../core/kube/rollback-kube.ts";
import { streamAppLogs } from "../../core/kube/stream-app-logs.ts";
import type { DeployTarget, TargetOutcome, TargetRef } from "./deploy-target.ts";
import { checkRunFailureMessage, failureSummary, kubeEventsToPipeline } from "./kube-target-events.ts";

/** How long a preview namespace lives without a new deploy before the sweeper may remove it (7 days). */
const DEFAULT_PREVIEW_TTL_MS = 7 * 86_400_000;

export interface KubeTargetOptions {
  clients: KubeClients;
  /** Where production (and every environment that is not a preview) runs; previews get `<repo>-pr-<n>`. */
  namespace: string;
  /** The store URL the pods' fetcher reads artifacts from (`s3://…`). */
  storeUrl: string;
  /**
   * Image overrides: per runtime (AETHER_IMAGE_NODE …, as the Helm chart sets them), else one for every
   * runtime (AETHER_RUNTIME_IMAGE), else Aether's; the fetcher likewise.
   */
  images?: { byRuntime?: Partial<Record<RuntimeName, string>>; runtimeImage?: string; fetcherImage?: string };
  /** The Ingress host of an environment (`pr-42.preview.example.com`); the URL reported is built on it. */
  hostFor: (ref: TargetRef) => string;
  tls?: RenderAppRequest["tls"];
  /** How long a preview namespace is marked to live (its `expires-at`); default 7 days. */
  previewTtlMs?: number;
  /** Rollout deadline per deploy or rollback (default 180 s). */
  rolloutTimeoutMs?: number;
  /** Monotonic milliseconds for phase timings. */
  clock: () => number;
  /** Wall time for release history and preview expiry (default: the system time). */
  now?: () => Date;
}

/** The pull request number of a preview environment (`pr-42`), undefined for every other environment. */
export function kubePreviewNumber(env: string): number | undefined {
  const match = /^pr-(\d+)$/.exec(env);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The namespace an environment lives in on this target. */
export function kubeNamespaceFor(ref: TargetRef, productionNamespace: string): string {
  const pr = kubePreviewNumber(ref.env);
  return pr === undefined ? productionNamespace : previewNamespaceName(ref.repository, pr);
}

/**
 * The Kubernetes target: each (repository, app, environment) is a Deployment (+ Service, Ingress, release
 * history) rendered by core/kube; production in `namespace`, each pull request's preview in a namespace of its
 * own (Pod Security `restricted`, quota, default-deny NetworkPolicy), torn down with it.
 * @example createKubeTarget({ clients, namespace: "shop", storeUrl: "s3://artifacts/aether", hostFor, clock: () => performance.now() })
 */
export function createKubeTarget(options: KubeTargetOptions): DeployTarget {
  const { clients, clock } = options;
  const now = options.now ?? (() => new Date());
  const timeout = options.rolloutTimeoutMs === undefined ? {} : { timeoutMs: options.rolloutTimeoutMs };
  const scheme = options.tls === undefined ? "http" : "https";
  const urlOf = (ref: TargetRef) => `${scheme}://${options.hostFor(ref)}`;
  const placement = (ref: TargetRef, host = options.hostFor(ref)) => ({
    app: ref.app,
    env: ref.env,
    repository: ref.repository,
    namespace: kubeNamespaceFor(ref, options.namespace),
    storeUrl: options.storeUrl,
    host,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  return {
    name: "kubernetes",
    async deploy(request) {
      const started = clock();
      const pr = kubePreviewNumber(request.env);
      const ttl = options.previewTtlMs ?? DEFAULT_PREVIEW_TTL_MS;
      // The repository's previews.host and ttl, when the worker passes them, win over the app's defaults.
      const host = request.preview?.host ?? options.hostFor(request);
      const expiresAt = request.preview?.expiresAt ?? new Date(now().getTime() + ttl);
      const outcome = await deployKube({
        ...placement(request, host),
        clients,
        namespace: options.namespace,
        digest: request.digest,
        manifest: request.manifest,
        ...kubeRuntimeImages({
          runtime: request.manifest.runtime.name,
          runtimeImage:
            options.images?.byRuntime?.[request.manifest.runtime.name] ?? options.images?.runtimeImage,
          fetcherImage: options.images?.fetcherImage,
        }),
        envVars: request.appEnv,
        ...(pr === undefined ? {} : { preview: { pullRequest: pr, expiresAt } }),
        ...timeout,
        clock,
        now,
        onEvent: kubeEventsToPipeline(request.onEvent),
      });
      if (outcome.ok)
        return {
          ok: true,
          url: outcome.url ?? `${scheme}://${host}`,
          release: outcome.release,
          timings: { start: outcome.timings.apply, healthy: outcome.timings.rollout },
        };
      const phase = outcome.phase === "apply" ? "start" : "healthy";
      request.onEvent({
        type: "phase-failed",
        phase,
        ms: clock() - started,
        message: checkRunFailureMessage(outcome),
        logTail: outcome.logTail,
      });
      return {
        ok: false,
        phase,
        message: failureSummary(outcome),
        logTail: outcome.logTail,
        timings: { start: 0, healthy: 0 },
      };
    },
    async rollback(request) {
      const started = clock();
      request.onEvent({ type: "phase-started", phase: "start" });
      const result = await rollbackKube({
        ...placement(request),
        clients,
        ...timeout,
        clock,
        onProgress: (message) => request.onEvent({ type: "progress", phase: "start", message }),
      });
      const ms = clock() - started;
      if (result.ok) {
        request.onEvent({ type: "phase-finished", phase: "start", ms, detail: `release ${result.release}` });
        const outcome: TargetOutcome = {
          ok: true,
          url: urlOf(request),
          release: result.release,
          timings: { start: ms, healthy: 0 },
        };
        return outcome;
      }
      const message = checkRunFailureMessage(result);
      request.onEvent({ type: "phase-failed", phase: "start", ms, message, logTail: result.logTail });
      return {
        ok: false,
        phase: "start",
        message: failureSummary(result),
        logTail: result.logTail,
        timings: { start: ms, healthy: 0 },
      };
    },
    async current(ref) {
      const { releases } = await readKubeReleaseHistory({
        clients,
        namespace: kubeNamespaceFor(ref, options.namespace),
        app: ref.app,
        env: ref.env,
      });
      const live = liveRelease(releases);
      return live === undefined ? undefined : { digest: live.digest, url: urlOf(ref) };
    },
    async destroy(ref) {
      const preview = kubePreviewNumber(ref.env) !== undefined;
      const { deleted } = await destroyKubeApp({
        clients,
        app: ref.app,
        env: ref.env,
        namespace: kubeNamespaceFor(ref, options.namespace),
        deleteNamespace: preview,
      });
      return { existed: deleted.length > 0 };
    },
    async logs(request) {
      const lines: { time: string; line: string }[] = [];
      await streamAppLogs({
        clients,
        namespace: kubeNamespaceFor(request, options.namespace),
        selector: appSelector(request),
        follow: false,
        tailLines: request.tail,
        ...(request.sinceMs === undefined ? {} : { since: Math.ceil(request.sinceMs / 1000) }),
        signal: AbortSignal.timeout(30_000),
        onLine: (line) => lines.push(line),
      });
      return lines.slice(-request.tail).map((l) => l.line);
    },
  };
}
