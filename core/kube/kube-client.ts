import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, Log, Watch } from "@kubernetes/client-node";

/** The client-node APIs core/kube uses, all built from one kubeconfig. */
export interface KubeClients {
  config: KubeConfig;
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  apps: AppsV1Api;
  watch: Watch;
  log: Log;
}

/** A kubeconfig that cannot be read, parsed, or has no usable context/cluster. */
export class KubeConfigError extends Error {
  readonly source: string;
  constructor(source: string, problem: string) {
    super(
      `Cannot use the kubeconfig ${source}: ${problem}. ` +
        "Point the Kubernetes target at a readable kubeconfig (kubeconfig path in the environment's config) " +
        "and check it with `kubectl --kubeconfig <path> config view`.",
    );
    this.name = "KubeConfigError";
    this.source = source;
  }
}

/**
 * Loads a kubeconfig from a file (or, without a path, client-node's default discovery: KUBECONFIG, then
 * ~/.kube/config, then in-cluster), selects `context` when given, and checks it names a cluster.
 */
export function loadKubeConfig(options: { kubeconfigPath?: string; context?: string }): KubeConfig {
  const source =
    options.kubeconfigPath === undefined ? "(default: KUBECONFIG or ~/.kube/config)" : options.kubeconfigPath;
  const config = new KubeConfig();
  try {
    if (options.kubeconfigPath === undefined) config.loadFromDefault();
    else config.loadFromFile(options.kubeconfigPath);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    const problem =
      code === "ENOENT"
        ? "the file does not exist"
        : code === "EACCES"
          ? "the file is not readable (permission denied)"
          : `it is not a valid kubeconfig (${error instanceof Error ? error.message : String(error)})`;
    throw new KubeConfigError(source, problem);
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      const known = config.getContexts().map((c) => c.name);
      throw new KubeConfigError(
        source,
        `it has no context "${options.context}" (contexts: ${known.length > 0 ? known.join(", ") : "none"})`,
      );
    }
    config.setCurrentContext(options.context);
  }
  const context = config.getCurrentContext();
  if (!context || config.getContextObject(context) === null) {
    throw new KubeConfigError(source, "it has no current context (set current-context or pass a context)");
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null || !cluster.server) {
    throw new KubeConfigError(source, `its context "${context}" names no cluster with a server URL`);
  }
  return config;
}

/** Every client core/kube needs, from one loaded kubeconfig. */
export function kubeClientsFrom(config: KubeConfig): KubeClients {
  return {
    config,
    objects: KubernetesObjectApi.makeApiClient(config),
    core: config.makeApiClient(CoreV1Api),
    apps: config.makeApiClient(AppsV1Api),
    watch: new Watch(config),
    log: new Log(config),
  };
}
