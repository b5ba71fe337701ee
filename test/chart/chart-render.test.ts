import { describe, expect, it } from "vitest";
import { HelmRenderError, renderChart, type RenderedObject } from "../support/helm/render-chart.ts";
import { APP_ENV_VARS } from "../../app/server/read-app-env.ts";
import { installValues } from "./install-values.ts";

const byKind = (objects: RenderedObject[], kind: string) => objects.filter((o) => o.object["kind"] === kind);

async function renderError(values: Record<string, unknown>): Promise<string> {
  const error: unknown = await renderChart({ values }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HelmRenderError);
  return (error as Error).message;
}

interface PodSpec {
  automountServiceAccountToken?: boolean;
  securityContext: Record<string, unknown>;
  containers: {
    image: string;
    env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
    securityContext: Record<string, unknown>;
    resources: { requests: Record<string, string>; limits: Record<string, string> };
    readinessProbe: { httpGet: { path: string; port: string } };
    livenessProbe: { httpGet: { path: string; port: string } };
  }[];
}

function podSpec(objects: RenderedObject[], kind = "Deployment"): PodSpec {
  const workload = byKind(objects, kind)[0]!.object as { spec: { template: { spec: PodSpec } } };
  return workload.spec.template.spec;
}

describe("chart rendering", () => {
  it("renders a hardened Deployment with secrets from the chart's own Secret by default", async () => {
    const { objects } = await renderChart({
      values: installValues(),
      releaseName: "prod",
      namespace: "aether",
    });
    expect(objects.map((o) => o.object["kind"])).toEqual([
      "NetworkPolicy",
      "PodDisruptionBudget",
      "ServiceAccount",
      "Secret",
      "ClusterRole",
      "ClusterRole",
      "ClusterRoleBinding",
      "ClusterRoleBinding",
      "Service",
      "Deployment",
    ]);
    const spec = podSpec(objects);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const app = spec.containers[0]!;
    expect(app.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(app.resources.limits).toEqual({ cpu: "1", memory: "512Mi" });
    expect(app.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(app.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    const env = Object.fromEntries(app.env.map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));
    expect(env).toMatchObject({
      APP_ID: "2345678",
      PRIVATE_KEY: { name: "prod-aether", key: "private-key" },
      WEBHOOK_SECRET: { name: "prod-aether", key: "webhook-secret" },
      DATABASE_URL: { name: "prod-aether", key: "database-url" },
      AETHER_STORE: "s3://aether-artifacts/prod",
    });
    const secret = byKind(objects, "Secret")[0]!.object as { data: Record<string, string> };
    expect(Buffer.from(secret.data["webhook-secret"]!, "base64").toString()).toBe("test-webhook-secret");
    // Nothing secret sits in the Deployment itself.
    expect(JSON.stringify(byKind(objects, "Deployment"))).not.toContain("test-webhook-secret");
  });

  it("sets only environment variables the app reads (app/server/read-app-env.ts), listening on all interfaces", async () => {
    const { objects } = await renderChart({
      values: installValues({
        githubApp: { apiUrl: "https://ghe.example.com/api/v3" },
        previewDatabase: { url: "postgres://previews:pw@pg:5432/postgres" },
        apiTokens: { value: "acme/*=0123456789abcdefghijklmnop" },
        ingress: { enabled: true, host: "aether.example.com" },
        runtimeImages: { node: `ghcr.io/aether/runtime-node@sha256:${"b".repeat(64)}` },
      }),
      releaseName: "prod",
    });
    const env = podSpec(objects).containers[0]!.env;
    // HOME points Node at the writable /tmp; AETHER_STATE_DIR is the CLI's state folder (cli/context.ts), on
    // a writable volume; AETHER_IMAGE_* are for the Kubernetes target to come.
    const chartOnly = new Set(["HOME", "AETHER_STATE_DIR", "POSTGRES_PASSWORD", "AETHER_IMAGE_NODE"]);
    for (const { name } of env.filter((e) => !chartOnly.has(e.name))) {
      expect(APP_ENV_VARS as readonly string[]).toContain(name);
    }
    const byName = Object.fromEntries(env.map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));
    expect(byName).toMatchObject({
      HOST: "0.0.0.0",
      AETHER_STATE_DIR: "/var/lib/aether",
      PORT: "3000",
      GITHUB_API_URL: "https://ghe.example.com/api/v3",
      PREVIEW_DATABASE_URL: { name: "prod-aether", key: "preview-database-url" },
      AETHER_API_TOKENS: { name: "prod-aether", key: "api-tokens" },
      AETHER_PUBLIC_URL: "https://aether.example.com",
    });
    const secret = byKind(objects, "Secret")[0]!.object as { data: Record<string, string> };
    expect(Object.keys(secret.data).sort()).toEqual([
      "api-tokens",
      "database-url",
      "preview-database-url",
      "private-key",
      "webhook-secret",
    ]);
  });

  it("takes existing Secrets, an image digest and an ingress, and creates no Secret then", async () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const { objects, manifest } = await renderChart({
      values: installValues({
        githubApp: { id: 7, existingSecret: "gh-app", privateKey: "", webhookSecret: "" },
        database: { url: "", existingSecret: "db", existingSecretKey: "url" },
        image: { digest },
        ingress: { enabled: true, host: "aether.example.com", tlsSecretName: "aether-tls" },
      }),
    });
    expect(byKind(objects, "Secret")).toEqual([]);
    expect(manifest).not.toContain("checksum/secret");
    const app = podSpec(objects).containers[0]!;
    expect(app.image).toBe(`ghcr.io/aether/aether@${digest}`);
    const refs = Object.fromEntries(app.env.map((e) => [e.name, e.valueFrom?.secretKeyRef ?? e.value]));
    expect(refs["PRIVATE_KEY"]).toEqual({ name: "gh-app", key: "private-key" });
    expect(refs["DATABASE_URL"]).toEqual({ name: "db", key: "url" });
    expect(refs["APP_ID"]).toBe("7");
    const ingress = byKind(objects, "Ingress")[0]!.object as { spec: { rules: { host: string }[] } };
    expect(ingress.spec.rules[0]!.host).toBe("aether.example.com");
  });

  it("renders no cluster-wide RBAC with previews off, and no PDB for a single replica", async () => {
    const { objects } = await renderChart({
      values: installValues({
        previews: { enabled: false },
        rbac: { namespaces: ["a", "b"] },
        replicaCount: 1,
      }),
    });
    expect(byKind(objects, "ClusterRole")).toEqual([]);
    expect(byKind(objects, "ClusterRoleBinding")).toEqual([]);
    expect(
      byKind(objects, "Role").map((o) => (o.object["metadata"] as { namespace: string }).namespace),
    ).toEqual(["a", "b"]);
    expect(byKind(objects, "PodDisruptionBudget")).toEqual([]);
  });

  it("runs the embedded PostgreSQL hardened, reachable only from the app", async () => {
    const { objects } = await renderChart({
      values: installValues({ postgresql: { enabled: true, password: "pw" }, database: { url: "" } }),
      releaseName: "try",
    });
    const postgres = podSpec(objects, "StatefulSet");
    expect(postgres.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(postgres.containers[0]!.securityContext).toMatchObject({ capabilities: { drop: ["ALL"] } });
    const env = podSpec(objects).containers[0]!.env;
    expect(env.find((e) => e.name === "DATABASE_URL")?.value).toBe(
      "postgres://aether:$(POSTGRES_PASSWORD)@try-aether-postgresql:5432/aether",
    );
    const policies = byKind(objects, "NetworkPolicy").map(
      (o) => (o.object["metadata"] as { name: string }).name,
    );
    expect(policies).toEqual(["try-aether", "try-aether-postgresql"]);
  });

  it("renders NOTES.txt with the webhook URL", async () => {
    const { notes } = await renderChart({
      values: installValues({ ingress: { enabled: true, host: "hooks.example.com" } }),
      notes: true,
    });
    expect(notes).toContain("https://hooks.example.com/api/github/webhooks");
  });
});

describe("chart refusals", () => {
  it("names the missing required value, as Helm's `required` does", async () => {
    expect(await renderError({})).toMatch(
      /^execution error at \(aether\/templates\/deployment\.yaml:\d+:\d+\): githubApp\.id is required/,
    );
    expect(await renderError(installValues({ store: { url: "" } }))).toContain(
      "store.url is required: an s3:// URL for artifacts",
    );
    expect(await renderError(installValues({ githubApp: { webhookSecret: "" } }))).toContain(
      "githubApp.webhookSecret is required (or set githubApp.existingSecret",
    );
    expect(await renderError(installValues({ database: { url: "" } }))).toContain("database.url is required");
    expect(await renderError(installValues({ ingress: { enabled: true } }))).toContain(
      "ingress.host is required when ingress.enabled is true",
    );
    expect(await renderError(installValues({ previews: { enabled: false } }))).toContain(
      "rbac.namespaces is empty while previews.enabled is false",
    );
  });

  it("refuses values the schema forbids, before rendering, listing each problem", async () => {
    const message = await renderError(
      installValues({
        replicaCount: "two",
        replicas: 3,
        image: { digest: "latest" },
        service: { type: "ExternalName" },
        runtimeImages: { node: "ghcr.io/aether/runtime-node:24" },
      }),
    );
    expect(message).toBe(
      [
        "values don't meet the specifications of the schema(s) in the following chart(s):",
        "aether:",
        "- (root): Additional property replicas is not allowed",
        "- replicaCount: must be integer",
        '- image.digest: must match pattern "^(|sha256:[0-9a-f]{64})$"',
        '- runtimeImages.node: must match pattern "^(|[^@\\s]+@sha256:[0-9a-f]{64})$"',
        '- service.type: must be one of the following: "ClusterIP", "NodePort", "LoadBalancer"',
      ].join("\n"),
    );
  });
});
