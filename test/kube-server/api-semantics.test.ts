import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubeServer, type KubeTestServer } from "../support/kube/start-kube-server.ts";

// The API's semantics over raw HTTP, as any client sees them: Status objects, patches, selectors, cascades.
let kube: KubeTestServer;
beforeAll(async () => {
  kube = await startKubeServer({ namespaces: ["team"] });
});
afterAll(async () => {
  await kube.stop();
});

async function call(method: string, path: string, body?: unknown, contentType = "application/json") {
  const init: RequestInit = {
    method,
    headers: { "content-type": contentType, authorization: `Bearer ${kube.token}` },
  };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(`${kube.url}${path}`, init);
  // Parsed loosely (JSON.parse), as the other fidelity tests read kubectl -o json.
  return { code: response.status, body: JSON.parse(await response.text()) };
}

const deploymentBody = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "app", image: "web:1" }] },
    },
    ...extra,
  },
});

describe("the Kubernetes API test server's semantics", () => {
  it("answers invalid objects with the 422 Status a real API server returns", async () => {
    const noSelector = deploymentBody("api");
    delete (noSelector.spec as { selector?: unknown }).selector;
    const missing = await call("POST", "/apis/apps/v1/namespaces/team/deployments", noSelector);
    expect(missing.code).toBe(422);
    expect(missing.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'Deployment.apps "api" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`]',
      reason: "Invalid",
      details: {
        name: "api",
        group: "apps",
        kind: "Deployment",
        causes: [
          { reason: "FieldValueRequired", message: "Required value", field: "spec.selector" },
          {
            reason: "FieldValueInvalid",
            message:
              'Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
            field: "spec.template.metadata.labels",
          },
        ],
      },
      code: 422,
    });
    const badContainer = deploymentBody("api");
    badContainer.spec.template.spec.containers = [
      { name: "", image: "", ports: [{ containerPort: 70000 }] } as never,
    ];
    const container = await call("POST", "/apis/apps/v1/namespaces/team/deployments", badContainer);
    expect(container.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      "spec.template.spec.containers[0].name",
      "spec.template.spec.containers[0].image",
      "spec.template.spec.containers[0].ports[0].containerPort",
    ]);
    const service = await call("POST", "/api/v1/namespaces/team/services", {
      metadata: { name: "1web" },
      spec: { ports: [{ port: 80 }] },
    });
    expect(service.body.message).toContain(
      'Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label',
    );
    const ingress = await call("POST", "/apis/networking.k8s.io/v1/namespaces/team/ingresses", {
      metadata: { name: "web" },
      spec: {
        rules: [
          {
            host: "a.example.com",
            http: { paths: [{ path: "/", backend: { service: { name: "web", port: { number: 80 } } } }] },
          },
        ],
      },
    });
    expect(ingress.body.message).toBe(
      'Ingress.networking.k8s.io "web" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    );
  });

  it("refuses to change a Deployment's selector, as apps/v1 makes it immutable", async () => {
    await call("POST", "/apis/apps/v1/namespaces/team/deployments", deploymentBody("fixed"));
    const changed = await call(
      "PATCH",
      "/apis/apps/v1/namespaces/team/deployments/fixed",
      {
        spec: {
          selector: { matchLabels: { app: "moved" } },
          template: { metadata: { labels: { app: "moved" } } },
        },
      },
      "application/merge-patch+json",
    );
    expect(changed.code).toBe(422);
    expect(changed.body.message).toBe(
      'Deployment.apps "fixed" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"moved"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it("patches with JSON patch, merge patch and strategic merge (containers merged by name)", async () => {
    await call("POST", "/apis/apps/v1/namespaces/team/deployments", deploymentBody("patchme"));
    const path = "/apis/apps/v1/namespaces/team/deployments/patchme";
    const json = await call(
      "PATCH",
      path,
      [{ op: "replace", path: "/spec/replicas", value: 3 }],
      "application/json-patch+json",
    );
    expect(json.body.spec.replicas).toBe(3);
    const merge = await call(
      "PATCH",
      path,
      { metadata: { labels: { tier: "web" } } },
      "application/merge-patch+json",
    );
    expect(merge.body.metadata.labels).toEqual({ tier: "web" });
    const strategic = await call(
      "PATCH",
      path,
      { spec: { template: { spec: { containers: [{ name: "sidecar", image: "proxy:1" }] } } } },
      "application/strategic-merge-patch+json",
    );
    expect(strategic.body.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual([
      "app",
      "sidecar",
    ]);
    expect(strategic.body.metadata.generation).toBe(3);
  });

  it("selects with equality and set-based label selectors and field selectors", async () => {
    for (const [name, tier] of [
      ["a", "web"],
      ["b", "db"],
      ["c", "web"],
    ] as const) {
      await call("POST", "/api/v1/namespaces/team/configmaps", {
        metadata: { name, labels: { tier } },
        data: {},
      });
    }
    const names = async (query: string) =>
      (await call("GET", `/api/v1/namespaces/team/configmaps?${query}`)).body.items.map(
        (i: { metadata: { name: string } }) => i.metadata.name,
      );
    expect(await names("labelSelector=tier%3Dweb")).toEqual(["a", "c"]);
    expect(await names("labelSelector=tier%20notin%20(web)")).toEqual(["b"]);
    expect(await names("labelSelector=tier!%3Ddb,tier")).toEqual(["a", "c"]);
    expect(await names("fieldSelector=metadata.name%3Db")).toEqual(["b"]);
  });

  it("deletes a namespace with everything in it", async () => {
    await call("POST", "/api/v1/namespaces", { metadata: { name: "short-lived" } });
    await call("POST", "/api/v1/namespaces/short-lived/secrets", {
      metadata: { name: "db" },
      stringData: { DATABASE_URL: "postgres://x" },
    });
    const secret = await call("GET", "/api/v1/namespaces/short-lived/secrets/db");
    expect(secret.body.data.DATABASE_URL).toBe(Buffer.from("postgres://x").toString("base64"));
    const deleted = await call("DELETE", "/api/v1/namespaces/short-lived");
    expect(deleted.body.status.phase).toBe("Terminating");
    expect((await call("GET", "/api/v1/namespaces/short-lived/secrets/db")).code).toBe(404);
  });
});
