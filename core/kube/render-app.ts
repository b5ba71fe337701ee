import type { Digest } from "../artifact/digest.ts";
import type { ArtifactManifest } from "../artifact/manifest.ts";
import { ANNOTATIONS, appSelector, LABELS } from "./kube-labels.ts";
import { dnsLabel, labelValue } from "./kube-names.ts";
import type { KubeObject } from "./kube-object.ts";

export interface RenderAppRequest {
  app: string;
  env: string;
  namespace: string;
  repository: string;
  digest: Digest;
  manifest: ArtifactManifest;
  /** Where the init container fetches layers from (the store URL, never with credentials). */
  storeUrl: string;
  /** Runtime base image per runtime, by digest (`ghcr.io/…/runtime-node@sha256:…`). */
  runtimeImage: string;
  /** The artifact fetcher image, by digest. */
  fetcherImage: string;
  host?: string;
  tls?: { secretName: string } | { clusterIssuer: string };
  ingressClassName?: string;
  replicas?: number;
  release: number;
  /** Name of the Secret holding the app's environment (DATABASE_URL …), rendered separately. */
  envSecretName?: string;
  /** Name of the Secret with the store's read credentials, for the fetcher only. */
  storeSecretName?: string;
  resources?: { cpu: string; memory: string };
}

const APP_DIR = "/app";
/** The fetcher unpacks here (a new folder: the volume's root itself cannot be renamed into place). */
const RELEASE_DIR = `${APP_DIR}/release`;
const CONTAINER_PORT = 8080;
const RUN_AS = 10001;

/**
 * The objects one app needs in one environment: a ServiceAccount without a token, a Deployment whose init
 * container fetches and verifies the artifact's layers by digest into a volume the runtime image runs
 * from (no image is built per commit), a Service and, with a host, an Ingress. Pods are hardened as Pod
 * Security `restricted` requires.
 */
export function renderApp(request: RenderAppRequest): KubeObject[] {
  const name = dnsLabel(request.app);
  const selector = appSelector(request);
  const labels = { ...selector, [LABELS.instance]: labelValue(`${request.app}-${request.env}`) };
  const metadata = { name, namespace: request.namespace, labels };
  const resources = request.resources ?? { cpu: "250m", memory: "256Mi" };
  const securityContext = {
    runAsNonRoot: true,
    runAsUser: RUN_AS,
    runAsGroup: RUN_AS,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
  const probe = (initialDelaySeconds: number, periodSeconds: number) => ({
    httpGet: { path: request.manifest.healthPath, port: "http" },
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold: 3,
  });
  const appEnv = Object.entries(request.manifest.env).map(([key, value]) => ({
    name: key,
    value: value.startsWith(".") ? `${RELEASE_DIR}/${value}` : value,
  }));
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      ...metadata,
      annotations: { [ANNOTATIONS.artifact]: request.digest, [ANNOTATIONS.release]: String(request.release) },
    },
    spec: {
      replicas: request.replicas ?? 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 120,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels, annotations: { [ANNOTATIONS.artifact]: request.digest } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            fsGroup: RUN_AS,
            seccompProfile: { type: "RuntimeDefault" },
          },
          initContainers: [
            {
              name: "fetch",
              image: request.fetcherImage,
              args: ["fetch", "--store", request.storeUrl, "--into", RELEASE_DIR, request.digest],
              ...(request.storeSecretName
                ? { envFrom: [{ secretRef: { name: request.storeSecretName } }] }
                : {}),
              volumeMounts: [{ name: "app", mountPath: APP_DIR }],
              securityContext,
              resources: {
                requests: { cpu: "100m", memory: "64Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
              },
            },
          ],
          containers: [
            {
              name: "app",
              image: request.runtimeImage,
              workingDir: RELEASE_DIR,
              command: request.manifest.start,
              env: [{ name: "PORT", value: String(CONTAINER_PORT) }, ...appEnv],
              ...(request.envSecretName ? { envFrom: [{ secretRef: { name: request.envSecretName } }] } : {}),
              ports: [{ name: "http", containerPort: CONTAINER_PORT, protocol: "TCP" }],
              readinessProbe: probe(1, 2),
              livenessProbe: probe(10, 10),
              volumeMounts: [
                { name: "app", mountPath: APP_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
              securityContext,
              resources: {
                requests: { cpu: resources.cpu, memory: resources.memory },
                limits: { cpu: resources.cpu, memory: resources.memory },
              },
            },
          ],
          volumes: [
            { name: "app", emptyDir: { sizeLimit: "1Gi" } },
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
          ],
        },
      },
    },
  };
  const serviceAccount: KubeObject = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata,
    automountServiceAccountToken: false,
  };
  const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata,
    spec: {
      type: "ClusterIP",
      selector,
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  };
  if (!request.host) return [serviceAccount, deployment, service];
  const tls = request.tls;
  const ingress: KubeObject = {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      ...metadata,
      ...(tls && "clusterIssuer" in tls
        ? { annotations: { "cert-manager.io/cluster-issuer": tls.clusterIssuer } }
        : {}),
    },
    spec: {
      ...(request.ingressClassName ? { ingressClassName: request.ingressClassName } : {}),
      rules: [
        {
          host: request.host,
          http: {
            paths: [
              { path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } },
            ],
          },
        },
      ],
      ...(tls
        ? {
            tls: [
              { hosts: [request.host], secretName: "secretName" in tls ? tls.secretName : `${name}-tls` },
            ],
          }
        : {}),
    },
  };
  return [serviceAccount, deployment, service, ingress];
}
