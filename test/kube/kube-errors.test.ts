import { KubeConfig, Watch } from "@kubernetes/client-node";
import { createServer, type Socket } from "node:net";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyObjects } from "../../core/kube/apply-objects.ts";
import { kubeClientsFrom, loadKubeConfig, type KubeClients } from "../../core/kube/kube-client.ts";
import {
  KubeApiError,
  kubeErrorFrom,
  KubeForbiddenError,
  KubeInvalidError,
  KubeQuotaExceededError,
  KubeUnauthorizedError,
  KubeUnreachableError,
} from "../../core/kube/kube-errors.ts";
import type { KubeObject } from "../../core/kube/kube-object.ts";
import { kubeRequest } from "../../core/kube/kube-request.ts";
import { freePort } from "../support/postgres-server.ts";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { renderTestApp, targetClients, testNamespace } from "../support/kube/render-fixtures.ts";
import { runKubectl } from "../support/kube/run-kubectl.ts";
import { useTempDirs } from "../support/temp-dirs.ts";

let target: KubeTarget;
let clients: KubeClients;
let server: string;
const namespaces: string[] = [];
let counter = 0;
const tempDir = useTempDirs("aether-kube-errors-");

beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 50 });
  clients = targetClients(target);
  server = clients.config.getCurrentCluster()?.server ?? "";
});
afterAll(async () => {
  for (const ns of namespaces) await kubectl(["delete", "namespace", ns, "--wait=false"]);
  await target.stop();
});

const kubectl = (args: string[], stdin?: string) =>
  runKubectl(args, { kubeconfigPath: target.kubeconfigPath, ...(stdin === undefined ? {} : { stdin }) });

async function freshNamespace(): Promise<string> {
  counter += 1;
  const name = `aether-errors-${process.pid}-${counter}`;
  namespaces.push(name);
  await applyObjects({ clients, objects: [testNamespace(name)] });
  return name;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a failure"),
    (error: unknown) => error,
  );
}

describe("Kubernetes API failures, each with its own message", () => {
  it("an API server nobody listens on: unreachable, naming the server URL", async () => {
    const port = await freePort();
    const path = join(await tempDir(), "kubeconfig");
    const url = `https://127.0.0.1:${port}`;
    await writeFile(
      path,
      [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{ name: gone, cluster: { server: "${url}", insecure-skip-tls-verify: true } }]`,
        "users: [{ name: gone, user: { token: t } }]",
        "contexts: [{ name: gone, context: { cluster: gone, user: gone } }]",
        "current-context: gone",
      ].join("\n"),
    );
    const unreachable = kubeClientsFrom(loadKubeConfig({ kubeconfigPath: path }));
    const error = await failure(applyObjects({ clients: unreachable, objects: [testNamespace("x")] }));
    expect(error).toBeInstanceOf(KubeUnreachableError);
    expect((error as Error).message).toContain(
      `Cannot reach the Kubernetes API server at ${url} (ECONNREFUSED)`,
    );
  });

  it("an API server that accepts but never answers: unreachable after the request timeout", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: "silent", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: "silent", token: "t" }],
      contexts: [{ name: "silent", cluster: "silent", user: "silent" }],
      currentContext: "silent",
    });
    try {
      const error = await failure(
        kubeRequest(
          { config },
          {
            method: "GET",
            path: "/api/v1",
            operation: { verb: "discover", resource: "v1" },
            timeoutMs: 200,
            retries: 0,
          },
        ),
      );
      expect(error).toBeInstanceOf(KubeUnreachableError);
      expect((error as Error).message).toContain(`at http://127.0.0.1:${port} (timed out)`);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("expired credentials: 401, saying to refresh them", async () => {
    const stale = staleConfig();
    const error = await failure(applyObjects({ clients: { config: stale }, objects: [testNamespace("x")] }));
    expect(error).toBeInstanceOf(KubeUnauthorizedError);
    expect((error as Error).message).toContain(
      `The Kubernetes API server at ${server} rejected the credentials (401`,
    );
    expect((error as Error).message).toContain("expired or invalid");
  });

  it("expired credentials on a watch (client-node's Watch): the same 401 error", async () => {
    const done = new Promise<unknown>((resolve) => {
      void new Watch(staleConfig()).watch("/api/v1/namespaces", {}, () => undefined, resolve).catch(resolve);
    });
    const translated = kubeErrorFrom(await done, {
      server,
      operation: { verb: "watch", resource: "namespaces" },
    });
    expect(translated).toBeInstanceOf(KubeUnauthorizedError);
    expect((translated as Error).message).toContain("when asked to watch namespaces");
  });

  it.skipIf(onRealCluster())(
    `a namespace the deployer may not write: 403 naming verb, resource and namespace (${needsTestServer})`,
    async () => {
      const namespace = await freshNamespace();
      target.control?.forbid({ verb: "patch", resource: "deployments", namespace });
      try {
        const error = await failure(applyObjects({ clients, objects: renderTestApp({ namespace }) }));
        expect(error).toBeInstanceOf(KubeForbiddenError);
        const forbidden = error as KubeForbiddenError;
        expect(forbidden).toMatchObject({
          verb: "patch",
          resource: "deployments",
          namespace,
          user: "aether-test",
        });
        expect(forbidden.message).toContain(
          `Not allowed to patch deployments in namespace "${namespace}" as user "aether-test"`,
        );
        expect(forbidden.message).toContain(
          `Grant the deployer the verb "patch" on "deployments" (API group "apps") in namespace "${namespace}"`,
        );
      } finally {
        target.control?.clearForbidden();
      }
    },
  );

  it.skipIf(onRealCluster())(
    `retries 500s, then reports the server's failure (${needsTestServer})`,
    async () => {
      const namespace = await freshNamespace();
      target.control?.failNextRequests(2);
      const { applied } = await applyObjects({ clients, objects: renderTestApp({ namespace, host: null }) });
      expect(applied).toHaveLength(3);
      target.control?.failNextRequests(3);
      const error = await failure(
        applyObjects({ clients, objects: renderTestApp({ namespace, host: null }) }),
      );
      target.control?.failNextRequests(0);
      expect(error).toBeInstanceOf(KubeApiError);
      expect((error as KubeApiError).code).toBe(500);
      expect((error as Error).message).toContain(
        `The Kubernetes API server at ${server} answered 500 InternalError when asked to patch serviceaccounts "web" in namespace "${namespace}": Internal error occurred: injected fault. The API server failed`,
      );
    },
  );

  it("a ResourceQuota exceeded: 403 naming the quota and the resource", async () => {
    const namespace = await freshNamespace();
    const quota: KubeObject = {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "no-ingress", namespace },
      spec: { hard: { "count/ingresses.networking.k8s.io": "0" } },
    };
    await applyObjects({ clients, objects: [quota] });
    if (target.kind === "cluster") await quotaComputed(namespace, "no-ingress");
    const error = await failure(applyObjects({ clients, objects: renderTestApp({ namespace }) }));
    expect(error).toBeInstanceOf(KubeQuotaExceededError);
    const exceeded = error as KubeQuotaExceededError;
    expect(exceeded.quota).toBe("no-ingress");
    expect(exceeded.shortfalls).toEqual([
      { resource: "count/ingresses.networking.k8s.io", requested: "1", used: "0", limited: "0" },
    ]);
    expect(exceeded.message).toContain(
      `The ResourceQuota "no-ingress" in namespace "${namespace}" refused ingresses.networking.k8s.io "web"`,
    );
    expect(exceeded.message).toContain("count/ingresses.networking.k8s.io: requested 1, already used 0 of 0");
    // Everything before the Ingress went in; the Ingress did not.
    expect((await kubectl(["get", "deployment", "web", "-n", namespace])).code).toBe(0);
    expect((await kubectl(["get", "ingress", "web", "-n", namespace])).code).not.toBe(0);
  });

  it("an invalid object: 422 listing each field and why", async () => {
    const namespace = await freshNamespace();
    const objects = renderTestApp({ namespace, host: null }).map((object) =>
      object.kind === "Deployment" ? breakContainer(object) : object,
    );
    const error = await failure(applyObjects({ clients, objects }));
    expect(error).toBeInstanceOf(KubeInvalidError);
    const invalid = error as KubeInvalidError;
    expect(invalid.causes.map((c) => c.field).sort()).toEqual([
      "spec.template.spec.containers[0].name",
      "spec.template.spec.containers[0].ports[0].containerPort",
    ]);
    expect(invalid.message).toContain(
      `rejected deployments.apps "web" in namespace "${namespace}" as invalid (422)`,
    );
    expect(invalid.message).toContain('  - spec.template.spec.containers[0].name: Invalid value: "App_1"');
    expect(invalid.message).toContain(
      "  - spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000",
    );
  });

  it("translates client-node's own ApiException the same way (for callers of the typed APIs)", async () => {
    const error = await failure(clients.core.readNamespace({ name: `aether-missing-${process.pid}` }));
    const translated = kubeErrorFrom(error, {
      server,
      operation: { verb: "get", resource: "namespaces", name: "x" },
    });
    expect(translated).toBeInstanceOf(KubeApiError);
    expect((translated as KubeApiError).code).toBe(404);
    expect((translated as Error).message).toContain(`answered 404 NotFound when asked to get namespaces "x"`);
  });
});

/** The target's cluster with a token the server does not (or no longer) accept. */
function staleConfig(): KubeConfig {
  const stale = new KubeConfig();
  const cluster = clients.config.getCurrentCluster();
  if (cluster === null) throw new Error("target kubeconfig has no cluster");
  stale.loadFromOptions({
    clusters: [cluster],
    users: [{ name: "stale", token: "aether-expired-token" }],
    contexts: [{ name: "stale", cluster: cluster.name, user: "stale" }],
    currentContext: "stale",
  });
  return stale;
}

function breakContainer(deployment: KubeObject): KubeObject {
  const copy = structuredClone(deployment);
  const spec = copy.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  const container = spec.template.spec.containers[0]!;
  container.name = "App_1";
  container.ports = [{ name: "http", containerPort: 70000, protocol: "TCP" }];
  return copy;
}

/** On a real cluster, quota admission needs the quota controller to have computed status.hard first. */
async function quotaComputed(namespace: string, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const hard = await kubectl([
      "get",
      "resourcequota",
      name,
      "-n",
      namespace,
      "-o",
      "jsonpath={.status.hard}",
    ]);
    if (hard.stdout.trim() !== "") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
