/** Where `aether app` deploys, and why (shown at start-up). */
export type AppTargetChoice =
  | { kind: "local"; reason: string }
  | { kind: "kubernetes"; kubeconfigPath?: string; namespace?: string; reason: string };

/** AETHER_TARGET / --target names no target. */
export class AppTargetError extends Error {
  constructor(value: string) {
    super(
      `the target "${value}" is not one of local, kubernetes: set AETHER_TARGET (or --target) to one of them`,
    );
    this.name = "AppTargetError";
  }
}

/**
 * Chooses the app's deploy target: `--target`/AETHER_TARGET when given; otherwise Kubernetes when a kubeconfig
 * is named (--kubeconfig, AETHER_KUBECONFIG, KUBECONFIG) or the app runs in a pod with a service account, else
 * the local target. The kubeconfig path (none: client-node's discovery of KUBECONFIG, in-cluster …) and the production
 * namespace (--namespace, AETHER_NAMESPACE; none: the kubeconfig context's) come along.
 * @example chooseAppTarget({ env: process.env, flags: {}, inCluster: existsSync(SERVICE_ACCOUNT_TOKEN) })
 */
export function chooseAppTarget(input: {
  env: Record<string, string | undefined>;
  flags: { target?: string | undefined; kubeconfig?: string | undefined; namespace?: string | undefined };
  /** Whether a Kubernetes service account token is mounted (the app runs in a pod). */
  inCluster: boolean;
}): AppTargetChoice {
  const get = (value: string | undefined) => {
    const trimmed = value?.trim();
    return trimmed === undefined || trimmed === "" ? undefined : trimmed;
  };
  const forced = get(input.flags.target) ?? get(input.env["AETHER_TARGET"]);
  if (forced !== undefined && forced !== "local" && forced !== "kubernetes") throw new AppTargetError(forced);
  // KUBECONFIG may list several files: client-node's own discovery reads it, as kubectl does.
  const explicit = get(input.flags.kubeconfig) ?? get(input.env["AETHER_KUBECONFIG"]);
  const kubeconfig = explicit ?? get(input.env["KUBECONFIG"]);
  const namespace = get(input.flags.namespace) ?? get(input.env["AETHER_NAMESPACE"]);
  const inCluster = input.inCluster && get(input.env["KUBERNETES_SERVICE_HOST"]) !== undefined;
  if (forced === "local") return { kind: "local", reason: "AETHER_TARGET=local" };
  if (forced === undefined && kubeconfig === undefined && !inCluster)
    return { kind: "local", reason: "no kubeconfig and not in a cluster" };
  const reason =
    forced !== undefined
      ? "AETHER_TARGET=kubernetes"
      : kubeconfig !== undefined
        ? `kubeconfig ${kubeconfig}`
        : "in-cluster service account";
  return {
    kind: "kubernetes",
    ...(explicit === undefined ? {} : { kubeconfigPath: explicit }),
    ...(namespace === undefined ? {} : { namespace }),
    reason,
  };
}
