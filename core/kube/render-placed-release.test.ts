import { describe, expect, it } from "vitest";
import { manifestDigest } from "../artifact/manifest-codec.ts";
import { at } from "../../test/support/json-at.ts";
import type { KubeRelease } from "./kube-release-history.ts";
import { renderEnvSecret } from "./render-env-secret.ts";
import { envChecksum, renderPlacedRelease } from "./render-placed-release.ts";
import { TEST_MANIFEST as MANIFEST } from "../../test/support/kube/render-fixtures.ts";

const RELEASE: KubeRelease = {
  release: 4,
  digest: manifestDigest(MANIFEST),
  at: "2026-01-01T00:00:00.000Z",
  status: "superseded",
  runtimeImage: "ghcr.io/aether-dev/runtime-node:0.1.0",
  fetcherImage: "ghcr.io/aether-dev/fetcher:0.1.0",
  manifest: MANIFEST,
};
const PLACEMENT = {
  app: "web",
  env: "prod",
  namespace: "shop",
  repository: "acme/shop",
  storeUrl: "s3://b/p",
};

describe("renderPlacedRelease", () => {
  it("renders the recorded release (digest, images, number) at the app's placement", () => {
    const deployment = renderPlacedRelease(PLACEMENT, RELEASE).find((o) => o.kind === "Deployment");
    expect(deployment?.metadata.annotations).toMatchObject({
      "aether.dev/artifact": RELEASE.digest,
      "aether.dev/release": "4",
    });
    expect(at(deployment, "spec", "template", "spec", "containers", 0, "image")).toBe(RELEASE.runtimeImage);
    expect(at(deployment, "spec", "template", "metadata", "annotations")).toEqual({
      "aether.dev/artifact": RELEASE.digest,
    });
  });

  it("puts the environment's checksum on the pod template, so a changed value restarts the pods", () => {
    const values = { DATABASE_URL: "postgres://u:secret@db/app" };
    const checksum = envChecksum(values);
    expect(checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(checksum).not.toBe(envChecksum({ DATABASE_URL: "postgres://u:other@db/app" }));
    expect(checksum).not.toContain("secret");
    const objects = renderPlacedRelease(
      { ...PLACEMENT, envSecretName: "web-env", envChecksum: checksum },
      RELEASE,
    );
    const deployment = objects.find((o) => o.kind === "Deployment");
    expect(at(deployment, "spec", "template", "metadata", "annotations", "aether.dev/env-checksum")).toBe(
      checksum,
    );
    expect(at(deployment, "spec", "template", "spec", "containers", 0, "envFrom")).toEqual([
      { secretRef: { name: "web-env" } },
    ]);
  });
});

describe("renderEnvSecret", () => {
  it("holds the values as stringData, labelled like the app's objects", () => {
    const secret = renderEnvSecret({ ...PLACEMENT, values: { A: "1" } });
    expect(secret).toMatchObject({
      kind: "Secret",
      metadata: {
        name: "web-env",
        namespace: "shop",
        labels: { "app.kubernetes.io/managed-by": "aether", "aether.dev/environment": "prod" },
      },
      stringData: { A: "1" },
    });
  });
});
