import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "./kube-client.ts";

export interface KubeTargetOptions {
  /** A kubeconfig file; default: client-node's discovery (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
  context?: string;
  /** Default: the context's namespace, else `default`, as kubectl chooses. */
  namespace?: string;
}

/**
 * The clients and namespace a command works in, from a kubeconfig: what `--kubeconfig`, `--context` and
 * `--namespace` name on the command line.
 * @example const { clients, namespace } = openKubeTarget({ kubeconfigPath: "~/.kube/config" });
 */
export function openKubeTarget(options: KubeTargetOptions): {
  clients: KubeClients;
  namespace: string;
  server: string;
} {
  const config = loadKubeConfig({
    ...(options.kubeconfigPath === undefined ? {} : { kubeconfigPath: options.kubeconfigPath }),
    ...(options.context === undefined ? {} : { context: options.context }),
  });
  const context = config.getContextObject(config.getCurrentContext());
  return {
    clients: kubeClientsFrom(config),
    namespace: options.namespace ?? (context?.namespace || "default"),
    server: config.getCurrentCluster()?.server ?? "(unknown server)",
  };
}
