import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Digest } from "../../../core/artifact/digest.ts";
import { deployKube, type KubeDeployEvent } from "../../../core/kube/deploy-kube.ts";
import { kubeClientsFrom, loadKubeConfig } from "../../../core/kube/kube-client.ts";
import { kubeRuntimeImages } from "../../../core/kube/kube-runtime-images.ts";
import { openStore } from "../../../core/store/open-store.ts";

/** A kubeconfig-mode deploy that did not succeed; the message says what failed and what serves now. */
export class KubeconfigDeployError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeconfigDeployError";
  }
}

export interface KubeconfigDeployed {
  url: string | undefined;
  release: number;
  timings: { apply: number; rollout: number; total: number };
}

/**
 * Deploys straight to a cluster, for users who run no Aether app: reads the manifest from the store and
 * hands it to core/kube's `deployKube` (apply, watch the rollout, roll back on failure). A kubeconfig given
 * as text is written to a private file in `tempDir` for the deploy and removed after.
 */
export async function deployViaKubeconfig(request: {
  kubeconfig: { path: string } | { text: string };
  digest: Digest;
  environment: string;
  app: string;
  namespace: string;
  host: string;
  store: string;
  repository: string;
  timeoutMs: number;
  tempDir: string;
  env: Readonly<Record<string, string | undefined>>;
  onEvent: (event: KubeDeployEvent) => void;
}): Promise<KubeconfigDeployed> {
  if (request.store === "") {
    throw new KubeconfigDeployError(
      "Input required and not supplied: store (the cluster fetches the artifact from it; pass the store URL given to the build action)",
    );
  }
  const written =
    "text" in request.kubeconfig ? join(request.tempDir, `kubeconfig-${randomUUID()}`) : undefined;
  try {
    if (written !== undefined && "text" in request.kubeconfig) {
      await writeFile(written, request.kubeconfig.text, { mode: 0o600 });
    }
    const path = written ?? ("path" in request.kubeconfig ? request.kubeconfig.path : "");
    const config = loadKubeConfig({ kubeconfigPath: path });
    const store = openStore(request.store, { cwd: request.tempDir, env: request.env });
    const manifest = await store.getManifest(request.digest);
    const namespace =
      request.namespace || config.getContextObject(config.getCurrentContext())?.namespace || "default";
    const outcome = await deployKube({
      clients: kubeClientsFrom(config),
      app: request.app,
      env: request.environment,
      namespace,
      repository: request.repository,
      digest: request.digest,
      manifest,
      storeUrl: store.url,
      ...kubeRuntimeImages({
        runtime: manifest.runtime.name,
        runtimeImage: request.env["AETHER_RUNTIME_IMAGE"],
        fetcherImage: request.env["AETHER_FETCHER_IMAGE"],
      }),
      ...(request.host ? { host: request.host } : {}),
      timeoutMs: request.timeoutMs,
      clock: () => performance.now(),
      onEvent: request.onEvent,
    });
    if (!outcome.ok) {
      const details = [...outcome.explanation, ...outcome.logTail.map((line) => `  ${line}`)];
      throw new KubeconfigDeployError(
        `${outcome.phase} of ${request.app} (${request.environment}) in namespace ${namespace} failed: ${outcome.message}` +
          (details.length > 0 ? `\n${details.join("\n")}` : ""),
      );
    }
    return { url: outcome.url, release: outcome.release, timings: outcome.timings };
  } finally {
    if (written !== undefined) await rm(written, { force: true });
  }
}
