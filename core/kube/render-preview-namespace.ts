import { ANNOTATIONS, LABELS, MANAGER } from "./kube-labels.ts";
import { dnsLabel, labelValue } from "./kube-names.ts";
import type { KubeObject } from "./kube-object.ts";

export interface RenderPreviewNamespaceRequest {
  repository: string;
  pullRequest: number;
  /** ISO time after which the sweeper removes the namespace. */
  expiresAt: string;
  /** Namespace of the ingress controller: the only source admitted by the network policy. */
  ingressNamespace: string;
  quota?: { cpu: string; memory: string; pods: number };
}

/** `<repo>-pr-<n>`: a DNS label unique per repository and pull request. */
export function previewNamespaceName(repository: string, pullRequest: number): string {
  const suffix = `-pr-${pullRequest}`;
  return `${dnsLabel(repository, 63 - suffix.length)}${suffix}`;
}

/**
 * A preview's namespace and its guard rails: Pod Security `restricted` enforced, a ResourceQuota, a
 * LimitRange giving every container defaults, and a default-deny NetworkPolicy that admits only the
 * ingress controller (egress stays open so the app can reach its database and APIs).
 */
export function renderPreviewNamespace(request: RenderPreviewNamespaceRequest): KubeObject[] {
  const name = previewNamespaceName(request.repository, request.pullRequest);
  const labels = {
    [LABELS.managedBy]: MANAGER,
    [LABELS.repository]: labelValue(request.repository.replace("/", ".")),
    [LABELS.pullRequest]: String(request.pullRequest),
    [LABELS.environment]: `pr-${request.pullRequest}`,
  };
  const quota = request.quota ?? { cpu: "2", memory: "2Gi", pods: 10 };
  const metadata = { name: "aether-preview", namespace: name, labels };
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        labels: {
          ...labels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
        annotations: {
          [ANNOTATIONS.expiresAt]: request.expiresAt,
          [ANNOTATIONS.repository]: request.repository,
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata,
      spec: {
        hard: {
          "requests.cpu": quota.cpu,
          "limits.cpu": quota.cpu,
          "requests.memory": quota.memory,
          "limits.memory": quota.memory,
          pods: String(quota.pods),
          "services.loadbalancers": "0",
          "services.nodeports": "0",
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata,
      spec: {
        limits: [
          {
            type: "Container",
            default: { cpu: "250m", memory: "256Mi" },
            defaultRequest: { cpu: "50m", memory: "64Mi" },
            max: { cpu: "1", memory: "1Gi" },
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { ...metadata, name: "aether-default-deny" },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { "kubernetes.io/metadata.name": request.ingressNamespace },
                },
              },
            ],
          },
        ],
      },
    },
  ];
}
