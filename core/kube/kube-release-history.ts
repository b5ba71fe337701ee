import { ApiException, type V1ConfigMap } from "@kubernetes/client-node";
import { isDigest, type Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { decodeManifest, encodeManifest, manifestDigest } from "../artifact/manifest-codec.ts";
import type { KubeClients } from "./kube-client.ts";
import { KubeApiError, kubeErrorFrom } from "./kube-errors.ts";
import { appSelector, LABELS, MANAGER } from "./kube-labels.ts";
import { dnsLabel, labelValue } from "./kube-names.ts";
import { kubeRequest } from "./kube-request.ts";

/** `live`: serving now; `superseded`: served before; `failed`: never became ready. */
export const RELEASE_STATUSES = ["live", "superseded", "failed"] as const;
export type KubeReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** One release of an app in one environment, with what is needed to render it again for a rollback. */
export interface KubeRelease {
  release: number;
  digest: Digest;
  /** ISO time the release was recorded. */
  at: string;
  status: KubeReleaseStatus;
  runtimeImage: string;
  fetcherImage: string;
  manifest: ArtifactManifest;
  /** For a failed release: the release that was restored instead. */
  rolledBackTo?: number;
}

export interface KubeReleaseScope {
  clients: Pick<KubeClients, "core" | "config">;
  namespace: string;
  app: string;
  env: string;
}

/** Releases kept per app and environment (a ConfigMap holds at most 1 MiB). */
export const KEPT_RELEASES = 20;
const KEY = "releases.json";
/** Marks the history ConfigMap so pruning and teardown can tell it from the app's own objects. */
export const HISTORY_COMPONENT = "release-history";

/** `aether-releases-<app>-<env>`, a DNS label. */
export function releaseHistoryName(app: string, env: string): string {
  return dnsLabel(`aether-releases-${app}-${env}`);
}

/**
 * The app's releases in this environment, oldest first, from its history ConfigMap (none yet: empty).
 * @example const live = (await readKubeReleaseHistory(scope)).releases.findLast((r) => r.status === "live");
 */
export async function readKubeReleaseHistory(
  scope: KubeReleaseScope,
): Promise<{ releases: KubeRelease[]; resourceVersion?: string }> {
  const name = releaseHistoryName(scope.app, scope.env);
  let map: V1ConfigMap;
  try {
    map = await scope.clients.core.readNamespacedConfigMap({ name, namespace: scope.namespace });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return { releases: [] };
    throw translate(scope, error, "get");
  }
  const where = `ConfigMap ${scope.namespace}/${name}`;
  const releases = parseReleases(map.data?.[KEY] ?? "[]", where);
  const resourceVersion = map.metadata?.resourceVersion;
  return resourceVersion === undefined ? { releases } : { releases, resourceVersion };
}

/**
 * Changes the history with `change` (given the current releases, returns the new list) and writes it back
 * with optimistic concurrency: a create, or a merge patch carrying the resourceVersion it read; on a 409
 * (someone wrote in between) it reads and applies `change` again. Uses the verbs `get`, `create` and
 * `patch` only, as the deployer's Role grants them.
 */
export async function updateKubeReleaseHistory(
  scope: KubeReleaseScope & { change: (releases: KubeRelease[]) => KubeRelease[] },
): Promise<KubeRelease[]> {
  const name = releaseHistoryName(scope.app, scope.env);
  const collection = `/api/v1/namespaces/${encodeURIComponent(scope.namespace)}/configmaps`;
  const operation = (verb: string) => ({ verb, resource: "configmaps", namespace: scope.namespace, name });
  for (let attempt = 0; ; attempt += 1) {
    const current = await readKubeReleaseHistory(scope);
    const releases = scope.change(current.releases).slice(-KEPT_RELEASES);
    const labels = {
      ...appSelector(scope),
      [LABELS.instance]: labelValue(`${scope.app}-${scope.env}`),
      "app.kubernetes.io/component": HISTORY_COMPONENT,
    };
    const data = { [KEY]: serializeReleases(releases) };
    const query = { fieldManager: MANAGER };
    try {
      if (current.resourceVersion === undefined) {
        await kubeRequest(scope.clients, {
          method: "POST",
          path: collection,
          query,
          body: {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name, namespace: scope.namespace, labels },
            data,
          },
          operation: operation("create"),
        });
      } else {
        await kubeRequest(scope.clients, {
          method: "PATCH",
          path: `${collection}/${encodeURIComponent(name)}`,
          query,
          contentType: "application/merge-patch+json",
          body: { metadata: { resourceVersion: current.resourceVersion, labels }, data },
          operation: operation("patch"),
        });
      }
      return releases;
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 409 && attempt < 5) continue;
      throw error;
    }
  }
}

/** The number the next release gets: one more than any recorded. */
export function nextReleaseNumber(releases: readonly KubeRelease[]): number {
  return Math.max(0, ...releases.map((r) => r.release)) + 1;
}

/** The release serving now, if any. */
export function liveRelease(releases: readonly KubeRelease[]): KubeRelease | undefined {
  return releases.findLast((r) => r.status === "live");
}

/** Marks `release` live (adding or replacing its record) and whatever was live before superseded. */
export function markLive(releases: readonly KubeRelease[], release: KubeRelease): KubeRelease[] {
  const others = releases
    .filter((r) => r.release !== release.release)
    .map((r): KubeRelease => (r.status === "live" ? { ...r, status: "superseded" } : r));
  const live: KubeRelease = { ...release, status: "live" };
  return [...others, live].sort((a, b) => a.release - b.release);
}

function serializeReleases(releases: readonly KubeRelease[]): string {
  // The manifest as canonical JSON text: its digest can be checked when it is read back.
  return JSON.stringify(
    releases.map((r) => ({ ...r, manifest: encodeManifest(r.manifest).toString("utf8") })),
    null,
    1,
  );
}

// The trust boundary: a ConfigMap anyone with access could have edited.
function parseReleases(text: string, where: string): KubeRelease[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${where}: ${KEY} is not JSON; delete the ConfigMap to start a new history`);
  }
  if (!Array.isArray(raw)) throw new Error(`${where}: ${KEY} must be a list of releases`);
  return raw.map((entry: unknown, index): KubeRelease => {
    const bad = (field: string): never => {
      throw new Error(
        `${where}: release entry ${index} has no valid "${field}"; fix or delete the ConfigMap`,
      );
    };
    if (typeof entry !== "object" || entry === null) return bad("(entry)");
    const r = entry as Record<string, unknown>;
    const release = typeof r.release === "number" && Number.isInteger(r.release) ? r.release : bad("release");
    const digest = typeof r.digest === "string" && isDigest(r.digest) ? r.digest : bad("digest");
    const status = RELEASE_STATUSES.find((s) => s === r.status) ?? bad("status");
    const text = typeof r.manifest === "string" ? r.manifest : bad("manifest");
    const manifest = decodeManifest(text, `${where} release ${release}`);
    if (manifestDigest(manifest) !== digest) bad("manifest (its digest does not match)");
    return {
      release,
      digest,
      at: typeof r.at === "string" ? r.at : bad("at"),
      status,
      runtimeImage: typeof r.runtimeImage === "string" ? r.runtimeImage : bad("runtimeImage"),
      fetcherImage: typeof r.fetcherImage === "string" ? r.fetcherImage : bad("fetcherImage"),
      manifest,
      ...(typeof r.rolledBackTo === "number" ? { rolledBackTo: r.rolledBackTo } : {}),
    };
  });
}

function translate(scope: KubeReleaseScope, error: unknown, verb: string): unknown {
  return kubeErrorFrom(error, {
    server: scope.clients.config.getCurrentCluster()?.server ?? "(unknown server)",
    operation: {
      verb,
      resource: "configmaps",
      namespace: scope.namespace,
      name: releaseHistoryName(scope.app, scope.env),
    },
  });
}
