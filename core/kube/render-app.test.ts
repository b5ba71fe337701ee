import { describe, expect, it } from "vitest";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { at } from "../../test/support/json-at.ts";
import { renderApp, type RenderAppRequest } from "./render-app.ts";

const DIGEST = `sha256:${"ab".repeat(32)}` as const;
const MANIFEST: ArtifactManifest = {
  schemaVersion: 1,
  mediaType: "application/vnd.aether.manifest.v1+json",
  runtime: { name: "python" },
  start: ["python3", "app.py"],
  port: 8000,
  healthPath: "/healthz",
  env: { PYTHONPATH: ".deps", MODE: "prod" },
  layers: [],
};

function request(overrides: Partial<RenderAppRequest> = {}): RenderAppRequest {
  return {
    app: "web",
    env: "pr-42",
    namespace: "octo-web-pr-42",
    repository: "octo/web",
    digest: DIGEST,
    manifest: MANIFEST,
    storeUrl: "s3://bucket/aether",
    runtimeImage: `ghcr.io/aether/runtime-python@sha256:${"1".repeat(64)}`,
    fetcherImage: `ghcr.io/aether/fetcher@sha256:${"2".repeat(64)}`,
    release: 3,
    ...overrides,
  };
}

describe("renderApp", () => {
  it("renders a hardened Deployment that fetches the artifact by digest and runs it from a volume", () => {
    const [sa, deployment, service] = renderApp(request());
    expect(sa).toMatchObject({ kind: "ServiceAccount", automountServiceAccountToken: false });
    expect(at(deployment, "metadata", "annotations", "aether.dev/artifact")).toBe(DIGEST);
    const pod = at(deployment, "spec", "template", "spec");
    const hardened = {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    };
    const limited = { resources: { requests: expect.any(Object), limits: expect.any(Object) } };
    expect(pod).toMatchObject({
      automountServiceAccountToken: false,
      initContainers: [
        {
          args: ["fetch", "--store", "s3://bucket/aether", "--into", "/app/release", DIGEST],
          image: expect.stringMatching(/@sha256:[0-9a-f]{64}$/),
          securityContext: hardened,
          ...limited,
        },
      ],
      containers: [
        {
          command: ["python3", "app.py"],
          image: expect.stringMatching(/@sha256:[0-9a-f]{64}$/),
          env: [
            { name: "PORT", value: "8080" },
            { name: "PYTHONPATH", value: "/app/release/.deps" },
            { name: "MODE", value: "prod" },
          ],
          readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
          livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
          securityContext: hardened,
          ...limited,
        },
      ],
    });
    // The selector must match the template's labels, and the Service must select the same pods.
    const selector = at(deployment, "spec", "selector", "matchLabels") as Record<string, string>;
    expect(at(deployment, "spec", "template", "metadata", "labels")).toMatchObject(selector);
    expect(at(service, "spec", "selector")).toEqual(selector);
    expect(selector["app.kubernetes.io/managed-by"]).toBe("aether");
  });

  it("adds an Ingress for the host, with TLS from a secret or cert-manager", () => {
    expect(renderApp(request())).toHaveLength(3);
    const [, , , ingress] = renderApp(
      request({ host: "pr-42.preview.acme.dev", tls: { clusterIssuer: "letsencrypt" } }),
    );
    expect(at(ingress, "metadata", "annotations")).toEqual({
      "cert-manager.io/cluster-issuer": "letsencrypt",
    });
    expect(at(ingress, "spec", "rules", 0, "host")).toBe("pr-42.preview.acme.dev");
    expect(at(ingress, "spec", "tls")).toEqual([
      { hosts: ["pr-42.preview.acme.dev"], secretName: "web-tls" },
    ]);
    const [, , , withSecret] = renderApp(request({ host: "a.example", tls: { secretName: "wild" } }));
    expect(at(withSecret, "spec", "tls", 0, "secretName")).toBe("wild");
    expect(withSecret?.metadata.annotations).toBeUndefined();
  });

  it("makes valid names from any app name", () => {
    const [sa] = renderApp(request({ app: "Web_App.v2" }));
    expect(sa?.metadata.name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });
});
