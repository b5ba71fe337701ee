import { startKubeServer, type KubeServerControl, type KubeServerOptions } from "./start-kube-server.ts";

/** Where a Kubernetes test runs: the in-process test server, or a real cluster named by AETHER_TEST_KUBECONFIG. */
export interface KubeTarget {
  kind: "test-server" | "cluster";
  kubeconfigPath: string;
  /** Fault injection; undefined on a real cluster, where tests needing it skip. */
  control: KubeServerControl | undefined;
  stop(): Promise<void>;
}

/** Why fault-injection tests skip on a real cluster. */
export const needsTestServer =
  "needs the Kubernetes test server's fault injection (AETHER_TEST_KUBECONFIG names a real cluster)";

/**
 * The test server, or the real cluster when `AETHER_TEST_KUBECONFIG` names a kubeconfig.
 * @example const target = await kubeTarget(); … await target.stop();
 */
export async function kubeTarget(
  options: KubeServerOptions = {},
  env: Record<string, string | undefined> = process.env,
): Promise<KubeTarget> {
  const real = env.AETHER_TEST_KUBECONFIG;
  if (real !== undefined && real !== "") {
    return { kind: "cluster", kubeconfigPath: real, control: undefined, stop: async () => undefined };
  }
  const server = await startKubeServer(options);
  return {
    kind: "test-server",
    kubeconfigPath: server.kubeconfigPath,
    control: server.control,
    stop: server.stop,
  };
}

/** Whether tests run against a real cluster (decided before any server starts, for `it.skipIf`). */
export function onRealCluster(env: Record<string, string | undefined> = process.env): boolean {
  return (env.AETHER_TEST_KUBECONFIG ?? "") !== "";
}
