import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { renderApp } from "../../core/kube/render-app.ts";
import { previewNamespaceName, renderPreviewNamespace } from "../../core/kube/render-preview-namespace.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";
import { TEST_MANIFEST as MANIFEST } from "../support/kube/render-fixtures.ts";

// What core/kube renders must be what a real API server accepts: apply it with the real kubectl, strict
// field validation on, against the test server (or a real cluster with AETHER_TEST_KUBECONFIG).
let target: KubeTarget;
beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
});
afterAll(async () => {
  await target.stop();
});

const kubectl = (args: string[], stdin?: string) =>
  runKubectl(args, { kubeconfigPath: target.kubeconfigPath, ...(stdin === undefined ? {} : { stdin }) });

describe("rendered objects, applied with the real kubectl", () => {
  it("a preview namespace with its guard rails, then the app in it, become ready", async () => {
    const pr = 4000 + (process.pid % 1000);
    const namespace = previewNamespaceName("octo/web", pr);
    const guardRails = renderPreviewNamespace({
      repository: "octo/web",
      pullRequest: pr,
      expiresAt: "2030-01-01T00:00:00.000Z",
      ingressNamespace: "ingress-nginx",
    });
    const app = renderApp({
      app: "web",
      env: `pr-${pr}`,
      namespace,
      repository: "octo/web",
      digest: `sha256:${"ab".repeat(32)}`,
      manifest: MANIFEST,
      storeUrl: "s3://bucket/aether",
      runtimeImage: `ghcr.io/aether/runtime-node@sha256:${"1".repeat(64)}`,
      fetcherImage: `ghcr.io/aether/fetcher@sha256:${"2".repeat(64)}`,
      host: `pr-${pr}.preview.example.com`,
      tls: { clusterIssuer: "letsencrypt" },
      release: 1,
    });
    // One YAML stream, as a user would pipe rendered objects to kubectl.
    const list = [...guardRails, ...app].map((o) => stringify(o)).join("---\n");
    const applied = await kubectl(["apply", "--server-side", "--field-manager", "aether", "-f", "-"], list);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`namespace/${namespace} serverside-applied`);
    expect(applied.stdout).toContain("deployment.apps/web serverside-applied");
    expect(applied.stdout).toContain("ingress.networking.k8s.io/web serverside-applied");
    const rollout = await kubectl(["rollout", "status", "deployment/web", "-n", namespace, "--timeout=30s"]);
    expect(rollout.stdout).toContain('deployment "web" successfully rolled out');
    const policy = await kubectl([
      "get",
      "networkpolicy",
      "aether-default-deny",
      "-n",
      namespace,
      "-o",
      "json",
    ]);
    expect(JSON.parse(policy.stdout)).toMatchObject({
      spec: {
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
            ],
          },
        ],
      },
    });
    await kubectl(["delete", "namespace", namespace, "--wait=false"]);
  });
});
