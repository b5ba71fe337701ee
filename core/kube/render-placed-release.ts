import { createHash } from "node:crypto";
import { canonicalJson } from "../artifact/canonical-json.ts";
import type { KubeObject } from "./kube-object.ts";
import type { KubeRelease } from "./kube-release-history.ts";
import { renderApp, type RenderAppRequest } from "./render-app.ts";

/** Where an app runs and how it is reached: the render inputs that do not change between its releases. */
export interface KubeAppPlacement {
  app: string;
  env: string;
  namespace: string;
  repository: string;
  storeUrl: string;
  host?: string;
  tls?: RenderAppRequest["tls"];
  /** The Secret with the app's environment, when there is one. */
  envSecretName?: string;
  /** envChecksum(values) of that Secret: a change rolls the pods, which read it only when they start. */
  envChecksum?: string;
}

/** The pod template annotation that carries the environment's checksum. */
export const ENV_CHECKSUM_ANNOTATION = "aether.dev/env-checksum";

/**
 * A checksum of the app's environment for the pod template, as Helm charts do with `checksum/secret`:
 * changing a value changes the template, so Kubernetes restarts the pods with it.
 */
export function envChecksum(values: Record<string, string>): string {
  return createHash("sha256").update(canonicalJson(values)).digest("hex").slice(0, 16);
}

/** The objects of one recorded release at the app's current placement (renderApp, plus the env checksum). */
export function renderPlacedRelease(placement: KubeAppPlacement, release: KubeRelease): KubeObject[] {
  const objects = renderApp({
    app: placement.app,
    env: placement.env,
    namespace: placement.namespace,
    repository: placement.repository,
    storeUrl: placement.storeUrl,
    ...(placement.host === undefined ? {} : { host: placement.host }),
    ...(placement.tls === undefined ? {} : { tls: placement.tls }),
    ...(placement.envSecretName === undefined ? {} : { envSecretName: placement.envSecretName }),
    digest: release.digest,
    manifest: release.manifest,
    runtimeImage: release.runtimeImage,
    fetcherImage: release.fetcherImage,
    release: release.release,
  });
  const checksum = placement.envChecksum;
  if (checksum === undefined) return objects;
  return objects.map((object) =>
    object.kind === "Deployment" ? annotateTemplate(object, checksum) : object,
  );
}

function annotateTemplate(deployment: KubeObject, checksum: string): KubeObject {
  const spec = record(deployment["spec"]);
  const template = record(spec["template"]);
  const metadata = record(template["metadata"]);
  const annotations = { ...record(metadata["annotations"]), [ENV_CHECKSUM_ANNOTATION]: checksum };
  return {
    ...deployment,
    spec: { ...spec, template: { ...template, metadata: { ...metadata, annotations } } },
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
}
