import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactManifest } from "../../core/artifact/manifest.ts";
import { manifestDigest } from "../../core/artifact/manifest-codec.ts";
import { deployKube, type DeployKubeRequest } from "../../core/kube/deploy-kube.ts";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import {
  readKubeReleaseHistory,
  releaseHistoryName,
  updateKubeReleaseHistory,
  type KubeRelease,
} from "../../core/kube/kube-release-history.ts";
import { rollbackKube } from "../../core/kube/rollback-kube.ts";
import { kubeTarget, type KubeTarget } from "../support/kube/kube-target.ts";
import { targetClients } from "../support/kube/render-fixtures.ts";
import { testNamespaces } from "../support/kube/test-namespaces.ts";

let target: KubeTarget;
let clients: KubeClients;
const namespaces = testNamespaces("kube-history", () => clients);
beforeAll(async () => {
  target = await kubeTarget({ readyDelayMs: 20 });
  clients = targetClients(target);
});
afterAll(async () => {
  await namespaces.deleteAll();
  await target.stop();
});

const namespace = () => namespaces.create();

function manifest(version: string): ArtifactManifest {
  return {
    schemaVersion: 1,
    mediaType: "application/vnd.aether.manifest.v1+json",
    runtime: { name: "go" },
    start: ["./server"],
    port: 8080,
    healthPath: "/health",
    env: { VERSION: version },
    layers: [
      {
        role: "app",
        mediaType: "application/vnd.aether.layer.v1.tar+gzip",
        digest: `sha256:${"e".repeat(64)}`,
        size: 10,
        entries: 1,
      },
    ],
  };
}

function request(ns: string, version: string): DeployKubeRequest {
  const m = manifest(version);
  return {
    clients,
    app: "svc",
    env: "staging",
    namespace: ns,
    repository: "octo/svc",
    digest: manifestDigest(m),
    manifest: m,
    storeUrl: "s3://bucket/aether",
    runtimeImage: `ghcr.io/aether-dev/runtime-static:${version}`,
    fetcherImage: "ghcr.io/aether-dev/fetcher:0.1.0",
    timeoutMs: 10_000,
    clock: () => performance.now(),
  };
}

describe("release history on the cluster", () => {
  it("rolls back on request to the previous good release, rendered from its recorded inputs", async () => {
    const ns = await namespace();
    await deployKube(request(ns, "1"));
    await deployKube({ ...request(ns, "2"), envVars: { DATABASE_URL: "postgres://db/svc" } });
    const scope = { clients, namespace: ns, app: "svc", env: "staging" };
    const back = await rollbackKube({
      ...scope,
      repository: "octo/svc",
      storeUrl: "s3://bucket/aether",
      clock: () => performance.now(),
    });
    expect(back).toMatchObject({ ok: true, release: 1 });
    const deployment = await clients.apps.readNamespacedDeployment({ name: "svc", namespace: ns });
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe("ghcr.io/aether-dev/runtime-static:1");
    expect(deployment.metadata?.annotations?.["aether.dev/artifact"]).toBe(manifestDigest(manifest("1")));
    // The app keeps the environment it has now: the rolled-back pods read the same Secret.
    expect(deployment.spec?.template.spec?.containers[0]?.envFrom).toEqual([
      { secretRef: { name: "svc-env" } },
    ]);
    expect(deployment.spec?.template.metadata?.annotations?.["aether.dev/env-checksum"]).toMatch(
      /^[0-9a-f]{16}$/,
    );
    const { releases } = await readKubeReleaseHistory(scope);
    expect(releases.map((r) => [r.release, r.status])).toEqual([
      [1, "live"],
      [2, "superseded"],
    ]);
    expect(
      await rollbackKube({ ...scope, repository: "octo/svc", storeUrl: "s3://b", to: 9, clock: () => 0 }),
    ).toMatchObject({
      ok: false,
      message: "release 9 is not in this environment's history (releases: 1, 2)",
    });
  });

  it("keeps concurrent writers' changes (optimistic concurrency, retried on 409)", async () => {
    const ns = await namespace();
    const scope = { clients, namespace: ns, app: "svc", env: "staging" };
    const m = manifest("1");
    const record = (release: number): KubeRelease => ({
      release,
      digest: manifestDigest(m),
      at: "2026-01-01T00:00:00.000Z",
      status: "superseded",
      runtimeImage: "r",
      fetcherImage: "f",
      manifest: m,
    });
    await updateKubeReleaseHistory({ ...scope, change: () => [record(1)] });
    await Promise.all(
      [2, 3, 4].map((n) =>
        updateKubeReleaseHistory({ ...scope, change: (current) => [...current, record(n)] }),
      ),
    );
    const { releases } = await readKubeReleaseHistory(scope);
    expect(releases.map((r) => r.release).sort()).toEqual([1, 2, 3, 4]);
  });

  it("refuses a history whose manifest was edited, naming the ConfigMap", async () => {
    const ns = await namespace();
    await deployKube(request(ns, "1"));
    const name = releaseHistoryName("svc", "staging");
    const map = await clients.core.readNamespacedConfigMap({ name, namespace: ns });
    const text = map.data?.["releases.json"] ?? "";
    map.data = { "releases.json": text.replace("./server", "./evil") };
    await clients.core.replaceNamespacedConfigMap({ name, namespace: ns, body: map });
    await expect(
      readKubeReleaseHistory({ clients, namespace: ns, app: "svc", env: "staging" }),
    ).rejects.toThrow(
      `ConfigMap ${ns}/${name}: release entry 0 has no valid "manifest (its digest does not match)"`,
    );
  });
});
