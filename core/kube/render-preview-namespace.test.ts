import { describe, expect, it } from "vitest";
import { at } from "../../test/support/json-at.ts";
import { previewNamespaceName, renderPreviewNamespace } from "./render-preview-namespace.ts";

describe("renderPreviewNamespace", () => {
  const objects = renderPreviewNamespace({
    repository: "Octo-Org/Web.App",
    pullRequest: 42,
    expiresAt: "2026-12-02T10:00:00.000Z",
    ingressNamespace: "ingress-nginx",
  });
  const [namespace, quota, limits, policy] = objects;

  it("labels the namespace with owner and expiry and enforces Pod Security restricted", () => {
    expect(namespace?.metadata.name).toBe(previewNamespaceName("Octo-Org/Web.App", 42));
    expect(namespace?.metadata.name).toMatch(/^[a-z0-9-]+-pr-42$/);
    expect(namespace?.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "aether.dev/pull-request": "42",
      "app.kubernetes.io/managed-by": "aether",
    });
    expect(namespace?.metadata.annotations?.["aether.dev/expires-at"]).toBe("2026-12-02T10:00:00.000Z");
  });

  it("puts a quota, default limits and a default-deny policy admitting only the ingress controller in it", () => {
    for (const object of [quota, limits, policy])
      expect(object?.metadata.namespace).toBe(namespace?.metadata.name);
    expect(at(quota, "spec", "hard")).toMatchObject({ pods: "10", "services.loadbalancers": "0" });
    expect(at(limits, "spec", "limits", 0, "default")).toEqual({ cpu: "250m", memory: "256Mi" });
    expect(at(policy, "spec", "podSelector")).toEqual({});
    expect(at(policy, "spec", "policyTypes")).toEqual(["Ingress"]);
    expect(at(policy, "spec", "ingress")).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }] },
    ]);
  });

  it("keeps names within 63 characters for long repositories", () => {
    expect(previewNamespaceName(`octo/${"x".repeat(80)}`, 123456).length).toBeLessThanOrEqual(63);
  });
});
