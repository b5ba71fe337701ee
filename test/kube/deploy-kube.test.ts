import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import { manifestDigest } from "../../core/artifact/manifest-codec.ts";
import { deployKube, type DeployKubeRequest, type KubeDeployEvent } from "../../core/kube/deploy-kube.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { kubeRequest } from "../../core/kube/kube-request.ts";
import { readKubeReleaseHistory, releaseHistoryName } from "../../core/kube/kube-release-history.ts";
import { previewNamespaceName } from "../../core/kube/render-preview-namespace.ts";
import { kubeTarget, needsTestServer, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { testNamespaces } from "../support/kube/test-namespaces.ts";
import { targetClients, testManifest } from "../support/kube/render-fixtures.ts";

let target: KubeTarget;
let clients: KubeClients;
const namespaces = testNamespaces("deploy-kube", () => clients);
beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 20 });
  clients = targetClients(target);
});
afterAll(async () => {
  await namespaces.deleteAll();
  await target.stop();
});

const GOOD_IMAGE = "ghcr.io/aether-dev/runtime-node:0.1.0";
const namespace = () => namespaces.create();

function manifest(version: string): ArtifactManifest {
  return testManifest({ VERSION: version });
}

function request(ns: string, version: string, overrides: Partial<DeployKubeRequest> = {}): DeployKubeRequest {
  const m = manifest(version);
  return {
    clients,
    app: "web",
    env: "production",
    namespace: ns,
    repository: "octo/web",
    digest: manifestDigest(m),
    manifest: m,
    storeUrl: "s3://bucket/aether",
    runtimeImage: GOOD_IMAGE,
    fetcherImage: "ghcr.io/aether-dev/fetcher:0.1.0",
    timeoutMs: 10_000,
    clock: () => performance.now(),
    ...overrides,
  };
}

async function servingRelease(
  ns: string,
): Promise<{ release: string | undefined; image: string | undefined; ready: number | undefined }> {
  const deployment = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
  return {
    release: deployment.metadata?.annotations?.["aether.dev/release"],
    image: deployment.spec?.template.spec?.containers[0]?.image,
    ready: deployment.status?.readyReplicas,
  };
}

describe("deployKube", () => {
  it("deploys, records the release on the cluster, and applies under Aether's field manager", async () => {
    const ns = await namespace();
    const events: KubeDeployEvent[] = [];
    const outcome = await deployKube(
      request(ns, "1", {
        host: "web.example.com",
        tls: { clusterIssuer: "letsencrypt" },
        envVars: { DATABASE_URL: "postgres://app:s3cret@db/app" },
        onEvent: (e) => events.push(e),
      }),
    );
    expect(outcome).toMatchObject({ ok: true, release: 1, url: "https://web.example.com" });
    if (!outcome.ok) return;
    expect(outcome.readyAt).toBeLessThanOrEqual(outcome.reportedAt);
    expect(outcome.timings.total).toBeGreaterThanOrEqual(outcome.timings.apply);
    expect(events.filter((e) => e.type === "phase-finished").map((e) => e.phase)).toEqual([
      "apply",
      "rollout",
    ]);
    expect(await servingRelease(ns)).toEqual({ release: "1", image: GOOD_IMAGE, ready: 1 });

    const deployment = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
    expect(
      deployment.metadata?.managedFields?.some((f) => f.manager === "aether" && f.operation === "Apply"),
    ).toBe(true);
    expect(deployment.spec?.template.spec?.containers[0]?.envFrom).toEqual([
      { secretRef: { name: "web-env" } },
    ]);
    const secret = await clients.core.readNamespacedSecret({ name: "web-env", namespace: ns });
    expect(Buffer.from(secret.data?.["DATABASE_URL"] ?? "", "base64").toString()).toBe(
      "postgres://app:s3cret@db/app",
    );

    const history = await clients.core.readNamespacedConfigMap({
      name: releaseHistoryName("web", "production"),
      namespace: ns,
    });
    expect(history.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "aether",
      "app.kubernetes.io/name": "web",
      "aether.dev/environment": "production",
    });
    const { releases } = await readKubeReleaseHistory({
      clients,
      namespace: ns,
      app: "web",
      env: "production",
    });
    expect(releases).toMatchObject([{ release: 1, status: "live", digest: manifestDigest(manifest("1")) }]);
  });

  it("a second release supersedes the first and prunes what it no longer renders", async () => {
    const ns = await namespace();
    await deployKube(request(ns, "1", { host: "web.example.com", envVars: { A: "1" } }));
    const second = await deployKube(request(ns, "2"));
    expect(second).toMatchObject({ ok: true, release: 2 });
    expect(second.ok && second.url).toBe(undefined);
    const { releases } = await readKubeReleaseHistory({
      clients,
      namespace: ns,
      app: "web",
      env: "production",
    });
    expect(releases.map((r) => [r.release, r.status])).toEqual([
      [1, "superseded"],
      [2, "live"],
    ]);
    const ingresses = await clients.objects.list("networking.k8s.io/v1", "Ingress", ns);
    expect(ingresses.items).toHaveLength(0);
    const secrets = await clients.core.listNamespacedSecret({ namespace: ns });
    expect(secrets.items.map((s) => s.metadata?.name)).not.toContain("web-env");
    // The history itself is labelled like the app's objects but is never pruned.
    expect(releases).toHaveLength(2);
  });

  it("restarts the pods when only the environment changes, without printing or storing its values", async () => {
    const ns = await namespace();
    await deployKube(request(ns, "1", { envVars: { FEATURE: "off" } }));
    const before = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
    expect(await deployKube(request(ns, "1", { envVars: { FEATURE: "on" } }))).toMatchObject({ ok: true });
    const after = await clients.apps.readNamespacedDeployment({ name: "web", namespace: ns });
    const checksum = (d: typeof before) =>
      d.spec?.template.metadata?.annotations?.["aether.dev/env-checksum"];
    expect(checksum(after)).not.toBe(checksum(before));
    expect(after.metadata?.generation).toBeGreaterThan(before.metadata?.generation ?? 0);
    const history = await clients.core.readNamespacedConfigMap({
      name: releaseHistoryName("web", "production"),
      namespace: ns,
    });
    expect(JSON.stringify(history.data)).not.toContain("FEATURE");
  });

  it("deploys a preview into its own labelled namespace", async () => {
    const pr = 7000 + (process.pid % 1000);
    const outcome = await deployKube(
      request("ignored", "1", {
        env: `pr-${pr}`,
        preview: { pullRequest: pr, expiresAt: new Date("2030-01-01T00:00:00Z") },
      }),
    );
    expect(outcome).toMatchObject({ ok: true, release: 1 });
    const ns = previewNamespaceName("octo/web", pr);
    namespaces.track(ns);
    const previewNamespace = await clients.core.readNamespace({ name: ns });
    expect(previewNamespace.metadata?.labels).toMatchObject({ "aether.dev/pull-request": String(pr) });
    expect((await servingRelease(ns)).ready).toBe(1);
  });

  it("reports an apply failure with the API server's reason, changing nothing", async () => {
    const outcome = await deployKube(request(`missing-${process.pid}`, "1"));
    expect(outcome).toMatchObject({ ok: false, phase: "apply" });
    if (!outcome.ok) expect(outcome.message).toMatch(/not found/);
  });

  it("reports a field another manager owns, and leaves the serving release as it was", async () => {
    const ns = await namespace();
    await deployKube(request(ns, "1"));
    // As `kubectl scale` through server-side apply would: another manager takes .spec.replicas.
    await kubeRequest(clients, {
      method: "PATCH",
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      query: { fieldManager: "ops-team", force: "true" },
      contentType: "application/apply-patch+yaml",
      body: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: ns },
        spec: { replicas: 3 },
      },
      operation: { verb: "patch", resource: "deployments.apps" },
    });
    const outcome = await deployKube(request(ns, "2"));
    expect(outcome).toMatchObject({
      ok: false,
      phase: "apply",
      explanation: ["release 1 still serves: its Deployment was not changed"],
    });
    if (!outcome.ok) expect(outcome.message).toContain('.spec.replicas is owned by "ops-team"');
    expect((await servingRelease(ns)).release).toBe("1");
  });

  describe.skipIf(onRealCluster())(`failed rollouts (${needsTestServer})`, () => {
    it("explains an image pull failure, naming the image, and rolls back to release 1, which still serves", async () => {
      const ns = await namespace();
      expect(await deployKube(request(ns, "1"))).toMatchObject({ ok: true, release: 1 });
      const missing = `ghcr.io/example/missing-${process.pid}:1`;
      target.control?.injectPodFault({ type: "image-pull-failure", image: missing });
      const outcome = await deployKube(request(ns, "2", { runtimeImage: missing, timeoutMs: 1000 }));
      expect(outcome).toMatchObject({ ok: false, phase: "rollout", rolledBackTo: 1 });
      if (outcome.ok) return;
      expect(outcome.message).toMatch(/^release 2 did not become ready: not ready within 1.0 s/);
      const line = outcome.explanation.find((l) => l.includes(missing)) ?? "";
      expect(line).toContain(`image "${missing}" of container "app" cannot be pulled`);
      expect(line).toContain(`Failed to pull image "${missing}"`);
      expect(outcome.explanation).toContain("rolled back: release 1 serves again");
      expect(await servingRelease(ns)).toEqual({ release: "1", image: GOOD_IMAGE, ready: 1 });
      const { releases } = await readKubeReleaseHistory({
        clients,
        namespace: ns,
        app: "web",
        env: "production",
      });
      expect(releases).toMatchObject([
        { release: 1, status: "live" },
        { release: 2, status: "failed", rolledBackTo: 1 },
      ]);
      // The next release gets a new number: 2 stays the failed one in the history.
      expect(await deployKube(request(ns, "3"))).toMatchObject({ ok: true, release: 3 });
    });

    it("explains pods that cannot be created for a ResourceQuota, and rolls back", async () => {
      const ns = await namespace();
      await clients.core.createNamespacedResourceQuota({
        namespace: ns,
        body: { metadata: { name: "small" }, spec: { hard: { pods: "1" } } },
      });
      expect(await deployKube(request(ns, "1"))).toMatchObject({ ok: true, release: 1 });
      const outcome = await deployKube(request(ns, "2", { timeoutMs: 1000 }));
      expect(outcome).toMatchObject({ ok: false, phase: "rollout", rolledBackTo: 1 });
      if (outcome.ok) return;
      expect(outcome.explanation[0]).toMatch(
        /^pods cannot be created: Error creating: pods .* exceeded quota: small/,
      );
      expect((await servingRelease(ns)).release).toBe("1");
    });

    it("explains a crash loop with the container's last log lines", async () => {
      const ns = await namespace();
      await deployKube(request(ns, "1"));
      const crashing = `ghcr.io/example/crash-${process.pid}:1`;
      target.control?.injectPodFault({
        type: "crash-loop",
        image: crashing,
        lastLines: ["connecting to the database", "panic: DATABASE_URL is not set"],
      });
      const outcome = await deployKube(request(ns, "2", { runtimeImage: crashing, timeoutMs: 1000 }));
      expect(outcome).toMatchObject({ ok: false, phase: "rollout", rolledBackTo: 1 });
      if (outcome.ok) return;
      expect(outcome.explanation[0]).toMatch(
        /container "app" keeps crashing: exit code 1 \(Error\), restarted \d+ time/,
      );
      expect(outcome.logTail.at(-1)).toBe("panic: DATABASE_URL is not set");
      expect(outcome.logTail).toContain("connecting to the database");
      expect((await servingRelease(ns)).release).toBe("1");
    });

    it("explains a failing readiness probe; without an earlier release nothing is rolled back", async () => {
      const ns = await namespace();
      const stuck = `ghcr.io/example/never-ready-${process.pid}:1`;
      target.control?.injectPodFault({ type: "never-ready", image: stuck });
      const outcome = await deployKube(request(ns, "1", { runtimeImage: stuck, timeoutMs: 500 }));
      expect(outcome).toMatchObject({ ok: false, phase: "rollout" });
      if (outcome.ok) return;
      expect(outcome.rolledBackTo).toBeUndefined();
      expect(outcome.explanation[0]).toContain(
        "the readiness probe on GET /health keeps failing: Readiness probe failed: HTTP probe failed with statuscode: 503",
      );
      expect(outcome.explanation).toContain("nothing served before: no rollback");
      const { releases } = await readKubeReleaseHistory({
        clients,
        namespace: ns,
        app: "web",
        env: "production",
      });
      expect(releases).toMatchObject([{ release: 1, status: "failed" }]);
    });
  });
});
