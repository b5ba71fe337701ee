import { RUNTIME_NAMES, type RuntimeName } from "../../core/artifact/manifest.ts";
import { openKubeTarget } from "../../core/kube/open-kube-target.ts";
import type { DeployTarget } from "./deploy-target.ts";
import type { AppTargetChoice } from "./kube-choose-target.ts";
import { kubeHostFor } from "./kube-host-for.ts";
import { createKubeTarget } from "./kube-target.ts";

/** The Kubernetes target was chosen but cannot work with the app's settings. */
export class KubeAppTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeAppTargetError";
  }
}

/**
 * The app's Kubernetes target from its settings: the kubeconfig (or in-cluster account) and namespace of
 * `choice`, the store the pods fetch from (must be `s3://`: a folder on the app's machine is not reachable
 * from the cluster), the images (AETHER_IMAGE_<RUNTIME>, AETHER_RUNTIME_IMAGE, AETHER_IMAGE_FETCHER
 * or AETHER_FETCHER_IMAGE) and host patterns (AETHER_PREVIEW_HOST, AETHER_ENV_HOST). Returns the target and the line `aether app` prints for it.
 */
export function openKubeAppTarget(input: {
  choice: Extract<AppTargetChoice, { kind: "kubernetes" }>;
  storeUrl: string | undefined;
  env: Record<string, string | undefined>;
}): { target: DeployTarget; description: string } {
  const { choice, env } = input;
  if (input.storeUrl === undefined || !input.storeUrl.startsWith("s3://"))
    throw new KubeAppTargetError(
      `the Kubernetes target (${choice.reason}) needs an artifact store the cluster can read: set AETHER_STORE ` +
        "to s3://bucket/prefix, or AETHER_TARGET=local to deploy on this machine",
    );
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const opened = openKubeTarget({
    ...(choice.kubeconfigPath === undefined ? {} : { kubeconfigPath: choice.kubeconfigPath }),
    ...(choice.namespace === undefined ? {} : { namespace: choice.namespace }),
  });
  const runtimeImage = value("AETHER_RUNTIME_IMAGE");
  const fetcherImage = value("AETHER_IMAGE_FETCHER") ?? value("AETHER_FETCHER_IMAGE");
  const byRuntime: Partial<Record<RuntimeName, string>> = {};
  for (const runtime of RUNTIME_NAMES) {
    const image = value(`AETHER_IMAGE_${runtime.toUpperCase()}`);
    if (image !== undefined) byRuntime[runtime] = image;
  }
  const previewHost = value("AETHER_PREVIEW_HOST");
  const host = value("AETHER_ENV_HOST");
  const target = createKubeTarget({
    clients: opened.clients,
    namespace: opened.namespace,
    storeUrl: input.storeUrl,
    images: {
      byRuntime,
      ...(runtimeImage === undefined ? {} : { runtimeImage }),
      ...(fetcherImage === undefined ? {} : { fetcherImage }),
    },
    hostFor: kubeHostFor({
      ...(previewHost === undefined ? {} : { previewHost }),
      ...(host === undefined ? {} : { host }),
    }),
    clock: () => performance.now(),
  });
  return {
    target,
    description: `kubernetes (${opened.server}, namespace ${opened.namespace}; ${choice.reason})`,
  };
}
