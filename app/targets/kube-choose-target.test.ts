import { describe, expect, it } from "vitest";
import { AppTargetError, chooseAppTarget } from "./kube-choose-target.ts";

const choose = (
  env: Record<string, string>,
  flags: { target?: string; kubeconfig?: string; namespace?: string } = {},
  inCluster = false,
) => chooseAppTarget({ env, flags, inCluster });

describe("chooseAppTarget", () => {
  it("is local with no kubeconfig and outside a cluster", () => {
    expect(choose({})).toEqual({ kind: "local", reason: "no kubeconfig and not in a cluster" });
    // A token file without the service host variables is not a pod.
    expect(choose({}, {}, true).kind).toBe("local");
  });

  it("is Kubernetes with a kubeconfig, AETHER_KUBECONFIG and --kubeconfig naming the file to read", () => {
    expect(choose({ AETHER_KUBECONFIG: "/k/app.yaml", AETHER_NAMESPACE: "shop" })).toEqual({
      kind: "kubernetes",
      kubeconfigPath: "/k/app.yaml",
      namespace: "shop",
      reason: "kubeconfig /k/app.yaml",
    });
    expect(
      choose({ AETHER_KUBECONFIG: "/k/app.yaml" }, { kubeconfig: "/k/flag.yaml", namespace: "web" }),
    ).toEqual({
      kind: "kubernetes",
      kubeconfigPath: "/k/flag.yaml",
      namespace: "web",
      reason: "kubeconfig /k/flag.yaml",
    });
    // KUBECONFIG may list files: client-node's discovery reads it, so no single path is passed on.
    expect(choose({ KUBECONFIG: "/a.yaml:/b.yaml" })).toEqual({
      kind: "kubernetes",
      reason: "kubeconfig /a.yaml:/b.yaml",
    });
  });

  it("is Kubernetes in a pod with a service account", () => {
    expect(choose({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, {}, true)).toEqual({
      kind: "kubernetes",
      reason: "in-cluster service account",
    });
  });

  it("follows AETHER_TARGET and --target over the discovery, and refuses other names", () => {
    expect(choose({ KUBECONFIG: "/k.yaml", AETHER_TARGET: "local" }).kind).toBe("local");
    expect(choose({ AETHER_TARGET: "kubernetes" })).toEqual({
      kind: "kubernetes",
      reason: "AETHER_TARGET=kubernetes",
    });
    expect(choose({ AETHER_TARGET: "kubernetes" }, { target: "local" }).kind).toBe("local");
    expect(() => choose({ AETHER_TARGET: "k8s" })).toThrow(AppTargetError);
    expect(() => choose({}, { target: "nomad" })).toThrow(
      'the target "nomad" is not one of local, kubernetes: set AETHER_TARGET (or --target) to one of them',
    );
  });
});
