import { ApiException } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeClients } from "../../core/kube/kube-client.ts";
import { liveRelease, readKubeReleaseHistory } from "../../core/kube/kube-release-history.ts";
import { envSecretName } from "../../core/kube/render-env-secret.ts";
import { previewNamespaceName } from "../../core/kube/render-preview-namespace.ts";
import { previewNames } from "../../core/previewdb/preview-names.ts";
import { commentMarker } from "../../core/report/preview-comment.ts";
import { startApp } from "../../app/server/start-app.ts";
import { createKubeTarget, kubePreviewNumber } from "../../app/targets/kube-target.ts";
import type { DeployTarget, TargetRef } from "../../app/targets/deploy-target.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { kubeTarget, onRealCluster, type KubeTarget } from "../support/kube/kube-target.ts";
import { targetClients } from "../support/kube/render-fixtures.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { checkRunAction, pullRequestPayload, pushPayload } from "./payloads.ts";

const CONFIG = "version: 1\npreviews:\n  database:\n    engine: postgres\n";
const NAMESPACE = `shop-${process.pid}`;
const hostFor = (ref: TargetRef) => {
  const pr = kubePreviewNumber(ref.env);
  return pr === undefined ? `${ref.app}.shop.example.test` : `pr-${pr}.preview.example.test`;
};

let h: Harness;
let kube: KubeTarget;
let clients: KubeClients;
let target: DeployTarget;

beforeAll(async () => {
  kube = await kubeTarget({ readyDelayMs: 20 });
  clients = targetClients(kube);
  await clients.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  h = await startHarness({ startApp: false });
  target = createKubeTarget({
    clients,
    namespace: NAMESPACE,
    storeUrl: "s3://artifacts/aether",
    hostFor,
    rolloutTimeoutMs: 1500,
    clock: () => performance.now(),
  });
  h.app = await startApp({ ...h.appOptions(), target });
});
afterAll(async () => {
  if (process.env["APP_TEST_LOG"]) console.log(h?.logLines.join("\n"));
  await h?.stop();
  await clients?.core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await kube?.stop();
});

const statusesOf = (env: string, sha?: string) => {
  const ids = new Set(
    h.github.state.deployments
      .filter((d) => d.environment === env && (sha === undefined || d.sha === sha))
      .map((d) => d.id),
  );
  return h.github.state.deploymentStatuses.filter((s) => ids.has(s.deploymentId));
};
const history = async (namespace: string, env: string) =>
  (await readKubeReleaseHistory({ clients, namespace, app: "app", env })).releases;
const exists = async (read: () => Promise<unknown>) =>
  read().then(
    () => true,
    (error: unknown) => {
      if (error instanceof ApiException && error.code === 404) return false;
      throw error;
    },
  );

describe("the app on the Kubernetes target", () => {
  it("deploys a push to production into the production namespace, with environment_url", async () => {
    const sha = shaOf("k1");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    await h.build(sha, "k1");
    expect((await h.deliver("push", pushPayload(sha))).status).toBe(202);
    const success = await waitFor("production success", () =>
      statusesOf("production", sha).find((s) => s.state === "success"),
    );
    expect(success.environmentUrl).toBe("http://app.shop.example.test");
    expect(statusesOf("production", sha).map((s) => s.state)).toEqual(["queued", "in_progress", "success"]);
    const deployment = await clients.apps.readNamespacedDeployment({ name: "app", namespace: NAMESPACE });
    expect(deployment.status?.readyReplicas).toBeGreaterThan(0);
    expect(liveRelease(await history(NAMESPACE, "production"))).toMatchObject({ release: 1 });
    const run = h.github.state.checkRuns.find((r) => r.headSha === sha);
    expect(run).toMatchObject({ status: "completed", conclusion: "success" });
    expect(run?.output.summary).toContain("Live at http://app.shop.example.test");
    assertAllRequestsValid(h.github);
  });

  it.skipIf(onRealCluster())(
    // Needs the test server's fault injection (skipped when AETHER_TEST_KUBECONFIG names a real cluster).
    "fails a crash-looping release with the explanation and last log lines, and keeps the previous one",
    async () => {
      const sha = shaOf("k2-crash");
      h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
      await h.build(sha, "k2");
      kube.control?.injectPodFault({ type: "crash-loop", lastLines: ["connecting…", "panic: boom"] });
      try {
        await h.deliver("push", pushPayload(sha));
        const run = await waitFor("failed check run", () =>
          h.github.state.checkRuns.find((r) => r.headSha === sha && r.status === "completed"),
        );
        expect(run.conclusion).toBe("failure");
        expect(run.output.title).toBe("Deploy to production failed at healthy");
        expect(run.output.summary).toMatch(/container "app" keeps crashing: exit code 1/);
        expect(run.output.summary).toContain("rolled back: release 1 serves again");
        expect(run.output.summary).toContain("panic: boom");
        const failure = await waitFor("failure status", () =>
          statusesOf("production", sha).find((s) => s.state === "failure"),
        );
        expect(failure.description).toMatch(/^release 2 did not become ready/);
      } finally {
        kube.control?.clearPodFaults();
      }
      const releases = await history(NAMESPACE, "production");
      expect(releases).toMatchObject([
        { release: 1, status: "live" },
        { release: 2, status: "failed", rolledBackTo: 1 },
      ]);
      const deployment = await clients.apps.readNamespacedDeployment({ name: "app", namespace: NAMESPACE });
      expect(deployment.status?.readyReplicas).toBeGreaterThan(0);
      assertAllRequestsValid(h.github);
    },
  );

  it("rolls production back from the check run's button, and reads what serves and its logs", async () => {
    const sha = shaOf("k3");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": CONFIG });
    const digest = await h.build(sha, "k3");
    await h.deliver("push", pushPayload(sha));
    await waitFor("k3 live", () => statusesOf("production", sha).find((s) => s.state === "success"));
    const production = { repository: REPO, app: "app", env: "production" };
    expect(await target.current(production)).toEqual({ digest, url: "http://app.shop.example.test" });
    const first = (await history(NAMESPACE, "production"))[0]!;
    const run = h.github.state.checkRuns.find((r) => r.headSha === sha && r.conclusion === "success")!;
    h.github.state.setPermission(REPO, "mona", "write");
    await h.deliver(
      "check_run",
      checkRunAction({ externalId: run.externalId!, sha, identifier: "rollback", user: "mona" }),
    );
    await waitFor("rollback done", async () => {
      const rows = await h.query<{ state: string }>(
        "SELECT state FROM aether_deploy_requests WHERE task = 'rollback' AND env = 'production'",
      );
      return rows[0]?.state === "success";
    });
    expect(liveRelease(await history(NAMESPACE, "production"))).toMatchObject({ release: 1 });
    expect(await target.current(production)).toEqual({
      digest: first.digest,
      url: "http://app.shop.example.test",
    });
    const lines = await target.logs({ ...production, tail: 3 });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(await target.current({ ...production, env: "staging" })).toBeUndefined();
    expect(await target.destroy({ ...production, env: "pr-404" })).toEqual({ existed: false });
    assertAllRequestsValid(h.github);
  });

  it("gives a pull request its own namespace, database and one comment; updates it on push; removes it on close", async () => {
    const [sha1, sha2] = [shaOf("kp1"), shaOf("kp2")];
    h.github.state.setFiles(REPO, sha1, { ".github/aether.yml": CONFIG });
    // The second commit names its own preview host: the repository's choice wins over the app's default.
    const hosted = `${CONFIG}  host: "pr-{number}.previews.shop.test"\n`;
    h.github.state.setFiles(REPO, sha2, { ".github/aether.yml": hosted });
    h.github.state.addPullRequest({ repo: REPO, number: 21, headSha: sha1 });
    await h.build(sha1, "kp1");
    await h.deliver("pull_request", pullRequestPayload("opened", 21, sha1));
    const marked = () =>
      h.github.state.comments.filter((c) => c.issueNumber === 21 && c.body.includes(commentMarker("pr-21")));
    const ready = await waitFor("preview ready", () =>
      marked().find((c) => c.body.includes("Preview ready") && c.body.includes(sha1.slice(0, 7))),
    );
    expect(ready.body).toContain("(http://pr-21.preview.example.test)");
    const ns = previewNamespaceName(REPO, 21);
    const namespace = await clients.core.readNamespace({ name: ns });
    expect(namespace.metadata?.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "app.kubernetes.io/managed-by": "aether",
    });
    expect((await clients.core.listNamespacedResourceQuota({ namespace: ns })).items).toHaveLength(1);
    const policies = await clients.objects.list("networking.k8s.io/v1", "NetworkPolicy", ns);
    expect(policies.items).toHaveLength(1);
    const secret = await clients.core.readNamespacedSecret({ name: envSecretName("app"), namespace: ns });
    const databaseUrl = Buffer.from(secret.data?.["DATABASE_URL"] ?? "", "base64").toString();
    const { database, role } = previewNames({ repository: REPO, env: "pr-21" });
    expect(databaseUrl).toMatch(new RegExp(`^postgres(ql)?://${role}:.*/${database}`));
    expect(await h.query("SELECT datname FROM pg_database WHERE datname = $1", [database])).toHaveLength(1);
    expect(ready.body).toContain(database);

    await h.build(sha2, "kp2");
    await h.deliver("pull_request", pullRequestPayload("synchronize", 21, sha2));
    await waitFor("comment updated", () =>
      marked().find((c) => c.body.includes("Preview ready") && c.body.includes(sha2.slice(0, 7))),
    );
    expect(marked()).toHaveLength(1);
    expect(marked()[0]!.id).toBe(ready.id);
    expect(marked()[0]!.body).toContain("(http://pr-21.previews.shop.test)");
    const ingress = await clients.objects.read({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "app", namespace: ns },
    });
    expect(JSON.stringify(ingress)).toContain('"host":"pr-21.previews.shop.test"');
    expect(liveRelease(await history(ns, "pr-21"))).toMatchObject({ release: 2 });

    await h.deliver("pull_request", pullRequestPayload("closed", 21, sha2));
    await waitFor("comment says removed", () => marked().find((c) => c.body.includes("removed")));
    expect(marked()).toHaveLength(1);
    const left = await clients.core.readNamespace({ name: ns }).then(
      (n) => n.metadata?.deletionTimestamp !== undefined || n.status?.phase === "Terminating",
      (error: unknown) => error instanceof ApiException && error.code === 404,
    );
    expect(left).toBe(true);
    expect(await exists(() => clients.apps.readNamespacedDeployment({ name: "app", namespace: ns }))).toBe(
      false,
    );
    expect(await h.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).toEqual([]);
    expect(await h.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).toEqual([]);
    assertAllRequestsValid(h.github);
  });
});
