import type { ArtifactManifest } from "../../../core/artifact/manifest.ts";
import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "../../../core/kube/kube-client.ts";
import type { KubeObject } from "../../../core/kube/kube-object.ts";
import { renderApp } from "../../../core/kube/render-app.ts";
import type { KubeTarget } from "./kube-target.ts";

export const TEST_MANIFEST: ArtifactManifest = {
  schemaVersion: 1,
  mediaType: "application/vnd.aether.manifest.v1+json",
  runtime: { name: "node" },
  start: ["node", "server.js"],
  port: 3000,
  healthPath: "/health",
  env: {},
  layers: [],
};

/** A Node app's manifest with one app layer (deployKube refuses a manifest without layers), env as given. */
export function testManifest(env: Record<string, string> = {}): ArtifactManifest {
  return {
    ...TEST_MANIFEST,
    env,
    layers: [
      {
        role: "app",
        mediaType: "application/vnd.aether.layer.v1.tar+gzip",
        digest: `sha256:${"c".repeat(64)}`,
        size: 100,
        entries: 3,
      },
    ],
  };
}

/** What renderApp makes for a test app (`web` in `env`), with an Ingress unless `host` is null. */
export function renderTestApp(input: {
  namespace: string;
  app?: string;
  env?: string;
  host?: string | null;
  replicas?: number;
  release?: number;
}): KubeObject[] {
  const app = input.app ?? "web";
  const env = input.env ?? "staging";
  return renderApp({
    app,
    env,
    namespace: input.namespace,
    repository: "octo/web",
    digest: `sha256:${"ab".repeat(32)}`,
    manifest: TEST_MANIFEST,
    storeUrl: "s3://bucket/aether",
    runtimeImage: `ghcr.io/aether/runtime-node@sha256:${"1".repeat(64)}`,
    fetcherImage: `ghcr.io/aether/fetcher@sha256:${"2".repeat(64)}`,
    ...(input.host === null ? {} : { host: input.host ?? `${app}-${env}.example.com` }),
    replicas: input.replicas ?? 1,
    release: input.release ?? 1,
  });
}

/** A plain namespace (not a preview), for tests that need one of their own. */
export function testNamespace(name: string): KubeObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "aether.dev/test": "true" } } };
}

/** core/kube's clients for the target's kubeconfig. */
export function targetClients(target: KubeTarget): KubeClients {
  return kubeClientsFrom(loadKubeConfig({ kubeconfigPath: target.kubeconfigPath }));
}
